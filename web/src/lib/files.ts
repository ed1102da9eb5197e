import type { InlineFile } from '@gridline/domain';

/** What the browser is told a downloaded file is, by its extension. */
const MIME: Partial<Record<string, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

/**
 * Hands a file the API sent to the browser's download, from memory: the bytes become a Blob, an
 * object URL is clicked once and revoked straight after, and nothing is stored.
 */
export function saveInlineFile(file: InlineFile): void {
  const binary = atob(file.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(
    new Blob([bytes], { type: MIME[/\.([^.]+)$/.exec(file.fileName)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  try {
    a.click();
  } finally {
    a.remove();
    // The click has handed the URL to the download; a moment later the Blob can go.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
