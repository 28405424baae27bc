/**
 * A streaming RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and line
 * breaks; CRLF, LF and lone CR end a record; a leading BOM is dropped. A malformed record
 * (a quote inside an unquoted field, text after a closing quote, a quote never closed) is
 * reported with the line it started on, and reading resumes at the next line, so one bad row
 * never hides the rest of the file.
 */

/** One record: its fields, or why it could not be read. `line` is where it starts, from 1. */
export type CsvRecord = { line: number; fields: string[]; error?: string };

/** Longer than any field the API accepts by far: past it, a quote was most likely never closed. */
export const MAX_FIELD_CHARS = 65_536;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'skipToLineEnd';

/** Push text in chunks of any size; complete records come out as soon as they end. */
export class CsvReader {
  private state: State = 'fieldStart';
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private error: string | undefined;
  private afterCr = false;
  private started = false;
  private recordHasText = false;

  /** The records completed by this chunk. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    for (const char of text) {
      // CRLF is one line break: the LF after a CR was already counted.
      if (this.afterCr) {
        this.afterCr = false;
        if (char === '\n') {
          if (this.state === 'quoted') this.field += char;
          continue;
        }
      }
      this.step(char, out);
    }
    return out;
  }

  /** The last record, when the input does not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === 'quoted') {
      this.fail(`a quoted field opened on line ${this.recordLine} is never closed`);
    }
    if (this.recordHasText || this.fields.length > 0 || this.error !== undefined) this.emit(out);
    return out;
  }

  private step(char: string, out: CsvRecord[]): void {
    const lineBreak = char === '\n' || char === '\r';
    switch (this.state) {
      case 'skipToLineEnd':
        if (lineBreak) this.endRecord(char, out);
        return;
      case 'fieldStart':
        if (char === '"') {
          this.state = 'quoted';
          this.recordHasText = true;
        } else if (char === ',') {
          this.pushField();
        } else if (lineBreak) {
          this.endRecord(char, out);
        } else {
          this.state = 'unquoted';
          this.append(char);
        }
        return;
      case 'unquoted':
        if (char === ',') {
          this.pushField();
          this.state = 'fieldStart';
        } else if (lineBreak) {
          this.endRecord(char, out);
        } else if (char === '"') {
          this.fail(
            `field ${this.fields.length + 1} has a quote inside unquoted text; quote the whole field and double the quote ("")`,
          );
        } else {
          this.append(char);
        }
        return;
      case 'quoted':
        if (char === '"') {
          this.state = 'quoteInQuoted';
          return;
        }
        if (char === '\n' || char === '\r') this.countLineBreak(char);
        this.append(char);
        return;
      case 'quoteInQuoted':
        if (char === '"') {
          this.state = 'quoted';
          this.append('"');
        } else if (char === ',') {
          this.pushField();
          this.state = 'fieldStart';
        } else if (lineBreak) {
          this.endRecord(char, out);
        } else {
          this.fail(`field ${this.fields.length + 1} has text after its closing quote`);
        }
        return;
    }
  }

  private append(char: string): void {
    this.recordHasText = true;
    this.field += char;
    if (this.field.length > MAX_FIELD_CHARS) {
      this.fail(
        `field ${this.fields.length + 1} is longer than ${MAX_FIELD_CHARS} characters (a quote never closed?)`,
      );
    }
  }

  private pushField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.recordHasText = true;
  }

  /** Marks the record bad and skips the rest of its line. */
  private fail(reason: string): void {
    this.error ??= `line ${this.recordLine}: ${reason}`;
    this.field = '';
    this.state = 'skipToLineEnd';
  }

  private countLineBreak(char: string): void {
    this.line += 1;
    if (char === '\r') this.afterCr = true;
  }

  private endRecord(char: string, out: CsvRecord[]): void {
    // A blank line between records is not a record.
    if (this.recordHasText || this.error !== undefined) this.emit(out);
    this.countLineBreak(char);
    this.recordLine = this.line;
  }

  private emit(out: CsvRecord[]): void {
    if (this.error !== undefined) {
      out.push({ line: this.recordLine, fields: [], error: this.error });
    } else {
      this.fields.push(this.field);
      out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
    this.error = undefined;
    this.recordHasText = false;
    this.state = 'fieldStart';
  }
}

/**
 * Reads records from text chunks (e.g. `createReadStream(path, 'utf8')`) as they arrive.
 *
 * @example
 * for await (const record of readCsv(createReadStream('contacts.csv', 'utf8'))) console.log(record.fields);
 */
export async function* readCsv(source: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  const reader = new CsvReader();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* reader.push(text);
  }
  yield* reader.push(decoder.decode());
  yield* reader.end();
}
