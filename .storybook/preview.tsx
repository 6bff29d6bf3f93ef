// Stylesheets first, in the order of the package's dist/styles.css: tokens, then components.
import '../packages/react/src/styles/tokens.css';
import '../packages/react/src/styles/theme.css';
import './component-styles';
import { loadMarkdown } from '@confab/react';
import type { Loader, Preview } from '@storybook/react-vite';
import { chatServerLoader, withChatProvider } from './backend/with-chat-provider';

// Stories show the components as in an app whose markdown renderer has arrived (it loads on
// demand; lazy-markdown.ui.test.tsx covers the moment before).
const markdownLoader: Loader = async () => {
  await loadMarkdown();
  return {};
};

const preview: Preview = {
  loaders: [markdownLoader, chatServerLoader],
  decorators: [withChatProvider],
  globalTypes: {
    confabTheme: {
      description: 'The ChatProvider theme (components with their own theme prop keep it)',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'system', title: 'System' },
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { confabTheme: 'system' },
  parameters: {
    layout: 'padded',
    controls: { matchers: { color: /(background|color)$/i } },
    // Every axe violation fails the story's test (the `region` landmark rule is off: a component
    // is shown alone). A story that cannot pass on purpose says why and sets `test: 'todo'`.
    a11y: { test: 'error' },
  },
};

export default preview;
