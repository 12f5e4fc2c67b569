export { signedAssertionScheme } from './settings.js';
export type { SignedAssertionExchange, SignedAssertionSettings } from './settings.js';
export { signAssertion, toPkcs8Pem } from './sign-assertion.js';
export { obtainSignedAssertionToken } from './obtain-token.js';
export { connectSignedAssertion } from './connect.js';
