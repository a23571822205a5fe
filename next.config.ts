import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and Node-only modules stay outside the server bundle.
  serverExternalPackages: ['pg', '@node-rs/argon2', 'pino', '@prisma/client', '@prisma/adapter-pg'],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          // Ignored by browsers over plain http; behind TLS it keeps them from ever downgrading.
          { key: 'Strict-Transport-Security', value: 'max-age=31536000' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
        ],
      },
      {
        // JSON answers carry live and private data: never stored by a browser or a shared cache.
        source: '/api/:path*',
        headers: [{ key: 'Cache-Control', value: 'no-store' }],
      },
    ];
  },
};

export default nextConfig;
