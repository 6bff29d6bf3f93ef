// Every component folder's stylesheet, found by pattern so a new folder needs no change here.
// preview.tsx imports tokens.css and theme.css before this module, so the tokens and shared classes come first,
// as in the package's dist/styles.css.
import.meta.glob(['../packages/react/src/*/*.css', '!../packages/react/src/styles/*.css'], {
  eager: true,
});
