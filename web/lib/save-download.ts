/** Saves a downloaded file under `fileName`, as a link the browser follows would. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a release's title (`night-bus-home.csv`), or its id when the title has no letters. */
export function releaseFileName(title: string, releaseId: string, extension: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || `release-${releaseId}`}.${extension}`;
}
