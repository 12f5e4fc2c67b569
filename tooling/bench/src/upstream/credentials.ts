/** Made-up credentials shared by the fake upstream and the clients. None of them is real. */
export const BENCH_CREDENTIALS = {
  /** A classic personal access token's shape: ghp_ and 36 characters. */
  githubToken: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  /** The access token the refresh storm starts from; still accepted, but its connection says it has expired. */
  expiredAccessToken: 'ghu_expired000000000000000000000000000',
  refreshToken: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
  oauth2: { clientId: 'Iv23liGhIjKl4567', clientSecret: 'github-app-secret-fedcba9876543210' },
  shop: 'acme-store',
  shopifyToken: 'shpat_0123456789abcdef0123456789abcdef',
  oauth1: {
    consumerKey: 'bench-consumer-key',
    consumerSecret: 'bench-consumer-secret-0123456789',
    token: 'bench-token-0123456789abcdef',
    tokenSecret: 'bench-token-secret-fedcba9876543210',
  },
  syntheticToken: 'synthetic-token-0123456789abcdef',
} as const;
