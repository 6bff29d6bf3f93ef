// The markdown renderer, loaded on demand by `lazy-markdown.tsx`: marked, remend, the block
// cache, the elements and the code highlighting's state (the highlighter itself is a chunk of its
// own). The package builds it as one self-contained file (see tsup.config.ts): it shares no
// module with the rest of the package, so no bundler can pull any of it into the first load.
export { registerCodeLanguage } from './highlight-code';
export { MarkdownView } from './markdown-view';
export { prepareMessage } from './prepare-message';
