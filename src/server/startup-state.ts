/** What the server is doing while it loads reference and demo data; /readyz and the home page show it. */
export type StartupState = { ready: boolean; stage: string; progress: number };

/** What each loading stage is called, for the console and the home page. */
export const STAGE_LABELS: Record<string, string> = {
  starting: 'Đang khởi động (starting)',
  database: 'Đang tạo cơ sở dữ liệu (creating the database)',
  units: 'Đang nạp danh mục đơn vị hành chính (loading administrative units)',
  holidays: 'Đang nạp lịch nghỉ lễ (loading holiday schedules)',
  procedures: 'Đang nạp danh mục thủ tục hành chính (loading the procedure catalogue)',
  demo: 'Đang nạp dữ liệu mẫu (loading demo data)',
  history: 'Đang tạo lịch sử hồ sơ mẫu từ 1/7/2025 (generating the demo history)',
  web: 'Đang dựng giao diện web (building the web app)',
};

export function createStartupState(ready = false): StartupState {
  return { ready, stage: ready ? 'ready' : 'starting', progress: ready ? 1 : 0 };
}
