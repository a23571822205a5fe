import { Document, isMap, parseDocument, visit } from 'yaml';
import { describeZodError } from '@/lib/http/errors';
import { RunbookContent } from '@/lib/schemas/runbooks';

// Runbooks as code: one markdown file per runbook, named <slug>.md, with the other fields as YAML
// front matter. The body is everything after the closing `---` line, byte for byte, so a
// runbook exported, committed and imported again is exactly what was saved.

const FRONT_MATTER_KEYS = ['title', 'ownerTeam', 'tags', 'services', 'ruleKinds'] as const;

const FrontMatter = RunbookContent.pick({ title: true, ownerTeam: true, tags: true, services: true, ruleKinds: true }).extend({
  // Optional in hand-written files; always written on export.
  ownerTeam: RunbookContent.shape.ownerTeam.default(''),
  tags: RunbookContent.shape.tags.default([]),
  services: RunbookContent.shape.services.default([]),
  ruleKinds: RunbookContent.shape.ruleKinds.default([]),
});

export class RunbookFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'RunbookFileError';
  }
}

export const runbookFileName = (slug: string) => `${slug}.md`;

/** The file for a runbook: front matter in a fixed key order (lists inline), then the body. */
export function serializeRunbookFile(content: RunbookContent): string {
  const doc = new Document(Object.fromEntries(FRONT_MATTER_KEYS.map((key) => [key, content[key]])));
  visit(doc, {
    Seq(_, node) {
      node.flow = true;
    },
  });
  return `---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${content.body}`;
}

// Lines end at \n only: the `m` flag would also split at U+2028/U+2029, which may sit inside a
// quoted YAML value and must not end the front matter.
const OPENING = /^---\r?\n/;
const CLOSING = /(?:^|\n)---\r?(?=\n|$)/;

/** Reads a runbook file; errors name the file and the field. `slug` comes from the file name. */
export function parseRunbookFile(text: string, file: string): RunbookContent {
  const slugFromName = /([^/\\]+)\.md$/i.exec(file)?.[1] ?? '';
  const opening = OPENING.exec(text);
  if (!opening) throw new RunbookFileError(file, 'must start with a front-matter line "---"');
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) throw new RunbookFileError(file, 'front matter is not closed by a "---" line');
  const closingLine = closing[0].startsWith('\n') ? closing.index + 1 : closing.index;
  const yamlText = rest.slice(0, closingLine);
  const afterClosing = rest.slice(closing.index + closing[0].length);
  const body = afterClosing.startsWith('\n') ? afterClosing.slice(1) : afterClosing;

  const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new RunbookFileError(file, `front matter is not valid YAML: ${doc.errors[0]!.message}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new RunbookFileError(file, 'front matter must be a mapping of fields (title: …)');
  const data: unknown = doc.toJS() ?? {};
  const known = new Set<string>(FRONT_MATTER_KEYS);
  const unknownKeys = Object.keys(data as object).filter((k) => !known.has(k));
  if (unknownKeys.length > 0) throw new RunbookFileError(file, `unknown front-matter field ${unknownKeys.map((k) => `"${k}"`).join(', ')} (known: ${FRONT_MATTER_KEYS.join(', ')})`);

  const parsed = FrontMatter.safeParse(data);
  if (!parsed.success) throw new RunbookFileError(file, describeZodError(parsed.error, 'front matter'));
  const content = RunbookContent.safeParse({ ...parsed.data, slug: slugFromName, body });
  if (!content.success) throw new RunbookFileError(file, describeZodError(content.error, 'runbook').replace('runbook.slug', 'file name (the slug)'));
  return content.data;
}

