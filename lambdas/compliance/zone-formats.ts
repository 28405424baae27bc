/**
 * `Intl.DateTimeFormat`s kept per zone: building one costs far more than formatting with it, and
 * the gate's offsets and the console's times ask for the same few zones again and again.
 *
 * @example
 * const formatFor = formatsByZone({ hour: 'numeric', minute: '2-digit' });
 * formatFor('America/Chicago').format(new Date());
 */
export function formatsByZone(
  options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>,
): (zone: string) => Intl.DateTimeFormat {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (zone) => {
    let format = formats.get(zone);
    if (format === undefined) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options });
      formats.set(zone, format);
    }
    return format;
  };
}
