import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import '@confab/react/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Confab on Next.js',
  description: 'A chat served by one catch-all Route Handler, on the Node.js and Edge runtimes.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
