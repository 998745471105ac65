import type { Page } from 'playwright-core';
import QRCode from 'qrcode';

/** A photo of a paper, as a phone would send it (a PNG with the text as a QR code). */
export async function photo(text: string) {
  return {
    name: 'anh-chup.png',
    mimeType: 'image/png',
    buffer: await QRCode.toBuffer(text, { type: 'png', width: 500 }),
  };
}

/** Signs in through the development VNeID provider's page, choosing the test citizen by name. */
export async function signInWithVneid(page: Page, citizen: RegExp) {
  await page.getByRole('button', { name: 'Đăng nhập bằng VNeID' }).click();
  await page.getByRole('button', { name: citizen }).click();
}

/** Uploads a file through the button that opens the phone's file chooser. */
export async function choosePaper(page: Page, buttonName: RegExp, text: string) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: buttonName }).click(),
  ]);
  await chooser.setFiles(await photo(text));
}
