export { descopeProvider, DESCOPE_DEFAULT_BASE_URL, DESCOPE_ENV } from './descope-provider.js';
export type {
  DescopeCredentialProvider,
  DescopeCredentialRequest,
  DescopeOutboundAppToken,
  DescopeProviderOptions,
} from './descope-provider.js';
