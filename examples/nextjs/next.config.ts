import type { NextConfig } from 'next';

// Nothing here is fetched at build time (no Google fonts, no remote images): it builds offline.
const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
