/**
 * Harbor's mark: a wave under a mooring post. Decorative; the wordmark or label beside it names
 * the app. Its colours are the `--harbor-logo-*` properties, so a dark backdrop can invert it.
 */
export function HarborLogo({ size = 28 }: { size?: number }) {
  return (
    <svg
      className="harbor-logo"
      width={size}
      height={size}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect className="harbor-logo__tile" width="32" height="32" rx="8" />
      <path className="harbor-logo__wave" d="M7 19.5c3 2.2 6 2.2 9 0s6-2.2 9 0" />
      <path className="harbor-logo__post" d="M16 7v9m-4-5h8" />
    </svg>
  );
}
