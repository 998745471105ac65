/** The line at the top of every page while demo data is on (the server's pages and the web app's). */
export const DEMO_BANNER_TEXT_VI =
  'Bản trình diễn: dữ liệu và tài khoản là giả, mật khẩu công khai. Không dùng cho hồ sơ thật.';
