const words: Record<string, string> = { send: 'Sends', hold: 'Held', block: 'Blocked' };

/** A gate verdict (predicted or decided) and the API's reasons for it. */
export function Verdict({
  verdict,
  reasons,
  predicted,
}: {
  verdict: string;
  reasons: readonly string[];
  predicted?: boolean;
}) {
  return (
    <div class={`verdict verdict-${verdict}`}>
      <p>
        <strong>
          {predicted ? 'Predicted: ' : ''}
          {words[verdict] ?? verdict}
        </strong>
      </p>
      {reasons.length > 0 && (
        <ul class="reasons">
          {reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
