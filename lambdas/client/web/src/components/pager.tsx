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
