// The browser every browser test, story test and the render benchmark drive: Debian's Chromium
// (these machines cannot download one). CHROMIUM_PATH points to another.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless, able to run as root in a container, and without the background connections to
// Google's services that a closed network refuses.
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
