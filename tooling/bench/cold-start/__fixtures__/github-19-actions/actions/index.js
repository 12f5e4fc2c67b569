import { starARepositoryForTheAuthenticatedUser } from './activity.js';
import { createAnIssueComment, createIssue, getAnIssue, listIssueComments, listRepositoryIssues, updateAnIssue, } from './issues.js';
import { createAPullRequest, getAPullRequest, listPullRequests, listPullRequestsFiles, mergeAPullRequest, } from './pull-requests.js';
import { getARepository, getRepositoryContent, listBranches, listCommits, listRepositoriesForTheAuthenticatedUser, } from './repositories.js';
import { searchIssuesAndPullRequests } from './search.js';
import { getTheAuthenticatedUser } from './users.js';
/** Every action of the connector, in catalogue order. */
export const githubActions = [
    getAPullRequest,
    listPullRequests,
    createAPullRequest,
    mergeAPullRequest,
    listPullRequestsFiles,
    createIssue,
    getAnIssue,
    listRepositoryIssues,
    updateAnIssue,
    createAnIssueComment,
    listIssueComments,
    getARepository,
    listRepositoriesForTheAuthenticatedUser,
    getRepositoryContent,
    listCommits,
    listBranches,
    getTheAuthenticatedUser,
    searchIssuesAndPullRequests,
    starARepositoryForTheAuthenticatedUser,
];
