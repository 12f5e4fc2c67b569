"""A whole Plugboard flow from Python's standard library: no SDK, only HTTP and JSON.

Reads PLUGBOARD_URL, PLUGBOARD_API_KEY and GITHUB_TOKEN; prints one JSON object with what it saw.
"""

import json
import os
import urllib.error
import urllib.request

BASE = os.environ["PLUGBOARD_URL"]
KEY = os.environ["PLUGBOARD_API_KEY"]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + KEY)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers.get("Content-Type"), json.load(response)
    except urllib.error.HTTPError as error:
        # Errors are RFC 9457 problems with a stable `code`.
        return error.code, error.headers.get("Content-Type"), json.load(error)


_, _, integration = call("POST", "/v1/integrations", {"app": "github", "authMode": "BEARER_TOKEN"})
_, _, connection = call(
    "POST",
    "/v1/connections",
    {
        "integrationId": integration["id"],
        "entityId": "python-user",
        "connectedAccountParams": {"token": os.environ["GITHUB_TOKEN"]},
    },
)
_, _, result = call(
    "POST",
    "/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute",
    {"input": {"owner": "octocat", "repo": "Hello-World", "pull_number": 42}, "entityId": "python-user"},
)
status, content_type, problem = call(
    "POST",
    "/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute",
    {"input": {"owner": "octocat"}, "entityId": "python-user"},
)
print(
    json.dumps(
        {
            "connectionStatus": connection["status"],
            "result": result,
            "problem": {"status": status, "contentType": content_type, "code": problem["code"]},
        }
    )
)
