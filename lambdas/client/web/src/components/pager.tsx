type PagerProps = {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
};

/** Previous / next for a long list. */
export function Pager({ page, hasNext, onPrevious, onNext, label }: PagerProps) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" onClick={onPrevious} disabled={page === 0}>
        Previous page
      </button>
      <span>Page {page + 1}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}

/** Client-side paging of a list the API returns whole. */
export function pageOf<T>(items: readonly T[], page: number, size: number): T[] {
  return items.slice(page * size, page * size + size);
}

/** {@link Pager} for a list paged in the browser: shown only when `total` needs more than one page. */
export function ListPager({
  label,
  page,
  total,
  size,
  onPage,
}: {
  label: string;
  page: number;
  total: number;
  size: number;
  onPage: (page: number) => void;
}) {
  if (total <= size) return null;
  return (
    <Pager
      label={label}
      page={page}
      hasNext={(page + 1) * size < total}
      onPrevious={() => onPage(Math.max(0, page - 1))}
      onNext={() => onPage(page + 1)}
    />
  );
}
