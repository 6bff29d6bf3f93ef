/**
 * Catches the downloads a story starts (a click on a link with `download`, as `useExportThread`
 * makes): the browser saves nothing, and the story can check what would have been saved.
 * Call `stop()` at the end of the play function.
 */
export function catchDownloads(): {
  downloads: { name: string; href: string }[];
  stop: () => void;
} {
  const downloads: { name: string; href: string }[] = [];
  const handleClick = (event: MouseEvent) => {
    const link = event.target;
    if (!(link instanceof HTMLAnchorElement) || !link.hasAttribute('download')) return;
    event.preventDefault();
    downloads.push({ name: link.download, href: link.href });
  };
  document.addEventListener('click', handleClick, true);
  return { downloads, stop: () => document.removeEventListener('click', handleClick, true) };
}
