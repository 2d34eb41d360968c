import type { Browser } from '@playwright/test';

/**
 * Saves PNG screenshots side by side as one image, each under its caption: rendered in a blank
 * page of its own context (no image library needed).
 */
export async function saveSideBySide(
  browser: Browser,
  shots: ReadonlyArray<{ caption: string; png: Buffer; width: number }>,
  path: string,
): Promise<void> {
  const gap = 16;
  const width = shots.reduce((sum, shot) => sum + shot.width, 0) + gap * (shots.length + 1);
  const context = await browser.newContext({ viewport: { width, height: 200 } });
  try {
    const page = await context.newPage();
    const figures = shots
      .map(
        (shot) =>
          `<figure style="margin:0;width:${shot.width}px"><figcaption>${shot.caption}</figcaption>` +
          `<img style="display:block;width:${shot.width}px" src="data:image/png;base64,${shot.png.toString('base64')}"></figure>`,
      )
      .join('');
    await page.setContent(
      `<body style="margin:0;padding:${gap}px;background:#e5e7eb;font:600 14px system-ui,sans-serif">` +
        `<div style="display:flex;gap:${gap}px;align-items:flex-start">${figures}</div></body>`,
    );
    await page.waitForFunction(() => Array.from(document.images).every((image) => image.complete));
    await page.screenshot({ path, fullPage: true });
  } finally {
    await context.close();
  }
}
