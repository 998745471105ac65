import { CHANNELS, type Channel } from '../dossiers/dossier-status.ts';
import { addCounters, type Counters, emptyCounters, PROCESSING_DAY_METRICS } from './metrics.ts';

/** Hours in a working day, to turn processing hours into days (Decree 118: 8 hours a day). */
export const WORKING_HOURS_PER_DAY = 8;

/** The catalogue as it stands: what the unit offers, and how (the same national catalogue for every unit). */
export type CatalogueFigures = {
  published: number;
  /** Published with components, fees, duration and legal basis all stated. */
  complete: number;
  /** Offered online, partially or in full. */
  online: number;
  fullOnline: number;
};

/** A share with what it is made of, so an inspector can recompute it. */
export type Ratio = {
  value: number | null;
  numerator: number;
  denominator: number;
  formula: string;
};

export type ScoreIndicator = {
  key: string;
  name: string;
  max: number;
  /** The target share where Decision 766 sets one; points = max × min(1, ratio ÷ target). */
  target: number | null;
  ratio: Ratio;
  /** Null when nothing was there to measure (no denominator): left out of the total, and said so. */
  points: number | null;
  formula: string;
};

export type ScoreGroup = {
  key: string;
  name: string;
  max: number;
  points: number | null;
  indicators: ScoreIndicator[];
};

export type Score766 = {
  /** Out of 100: the points earned over the points that could be measured, × 100. */
  total: number | null;
  earned: number;
  measurableMax: number;
  formula: string;
  groups: ScoreGroup[];
};

const CATALOGUE_INDICATORS = new Set(['procedures_complete', 'procedures_online']);

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

export function ratio(numerator: number, denominator: number, formula: string): Ratio {
  return {
    value: denominator > 0 ? round(numerator / denominator) : null,
    numerator,
    denominator,
    formula,
  };
}

/** The median of whole working days from the histogram: the value at position ⌈n/2⌉ (31 means 31 or more). */
export function medianDays(counters: Counters): number | null {
  const counts = PROCESSING_DAY_METRICS.map((m) => counters[m]);
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const position = Math.ceil(n / 2);
  let seen = 0;
  for (const [days, count] of counts.entries()) {
    seen += count;
    if (seen >= position) return days;
  }
  return null;
}

function indicator(key: string, name: string, max: number, target: number | null, r: Ratio): ScoreIndicator {
  const points =
    r.value === null ? null : round(max * Math.min(1, target === null ? r.value : r.value / target), 2);
  const formula =
    target === null
      ? `${max} × ${r.formula}`
      : `${max} × min(1, ${r.formula} ÷ ${Math.round(target * 100)}%)`;
  return { key, name, max, target, ratio: r, points, formula };
}

function group(key: string, name: string, indicators: ScoreIndicator[]): ScoreGroup {
  const measured = indicators.filter((i) => i.points !== null);
  return {
    key,
    name,
    max: indicators.reduce((s, i) => s + i.max, 0),
    points: measured.length
      ? round(
          measured.reduce((s, i) => s + (i.points ?? 0), 0),
          2,
        )
      : null,
    indicators,
  };
}

export type IndicatorInputs = {
  /** The flows of the period, per channel (received, resolved, rated in the period). */
  flow: Record<Channel, Counters>;
  /** Running sums from the start up to the end of the as-of day (all channels of the filter). */
  upTo: Counters;
  catalogue: CatalogueFigures;
};

/** Every indicator of a unit and period, and Decision 766's score, from the rollups' sums. */
export function computeIndicators({ flow, upTo, catalogue }: IndicatorInputs) {
  const all = emptyCounters();
  for (const c of CHANNELS) addCounters(all, flow[c]);
  const received = {
    total: all.received,
    counter: flow.counter.received,
    online: flow.online.received,
    postal: flow.postal.received,
  };
  const resolvedTotal = all.resolved_early + all.resolved_on_time + all.resolved_late;
  const resolved = {
    total: resolvedTotal,
    early: all.resolved_early,
    onTime: all.resolved_on_time,
    late: all.resolved_late,
  };
  const inProgressTotal = upTo.received - upTo.ended;
  const overdue = upTo.due_passed - upTo.overdue_cleared;
  const inProgress = { total: inProgressTotal, onTime: inProgressTotal - overdue, overdue };
  const rated = all.rated_very + all.rated_satisfied + all.rated_not;

  const r = {
    onTime: ratio(
      all.resolved_early + all.resolved_on_time,
      resolvedTotal,
      'hồ sơ giải quyết trước và đúng hạn ÷ hồ sơ đã giải quyết',
    ),
    inProgressOnTime: ratio(
      inProgress.onTime,
      inProgressTotal,
      'hồ sơ đang giải quyết trong hạn ÷ hồ sơ đang giải quyết',
    ),
    online: ratio(received.online, received.total, 'hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận'),
    fullOnline: ratio(all.recv_online_full, received.total, 'hồ sơ trực tuyến toàn trình ÷ hồ sơ tiếp nhận'),
    proceduresOnline: ratio(
      catalogue.online,
      catalogue.published,
      'thủ tục cung cấp trực tuyến ÷ thủ tục công bố',
    ),
    proceduresComplete: ratio(
      catalogue.complete,
      catalogue.published,
      'thủ tục công bố đầy đủ thông tin ÷ thủ tục công bố',
    ),
    apologized: ratio(
      all.late_apologized,
      all.resolved_late,
      'hồ sơ trễ hạn có văn bản xin lỗi ÷ hồ sơ trễ hạn',
    ),
    payment: ratio(all.paid_online, all.fee_bearing, 'hồ sơ thanh toán trực tuyến ÷ hồ sơ có phí, lệ phí'),
    eResults: ratio(all.e_results, resolvedTotal, 'kết quả điện tử ký số ÷ hồ sơ đã giải quyết'),
    dossiersDigitized: ratio(
      all.dossiers_digitized,
      received.total,
      'hồ sơ số hóa đủ thành phần ÷ hồ sơ tiếp nhận',
    ),
    componentsDigitized: ratio(
      all.comp_digitized,
      all.comp_total,
      'thành phần đã số hóa ÷ thành phần đã nộp',
    ),
    reuse: ratio(all.comp_reused, all.comp_total, 'thành phần tái sử dụng dữ liệu số ÷ thành phần đã nộp'),
    satisfaction: ratio(
      all.rated_very + all.rated_satisfied,
      rated,
      '(rất hài lòng + hài lòng) ÷ lượt đánh giá',
    ),
  };

  const groups: ScoreGroup[] = [
    group('transparency', 'Công khai, minh bạch', [
      indicator('procedures_complete', 'Thủ tục công bố đầy đủ, đúng hạn', 10, null, r.proceduresComplete),
      indicator('late_apologized', 'Hồ sơ trễ hạn có văn bản xin lỗi', 8, null, r.apologized),
    ]),
    group('progress', 'Tiến độ giải quyết', [
      indicator('resolved_on_time', 'Hồ sơ giải quyết đúng hạn', 14, null, r.onTime),
      indicator('in_progress_on_time', 'Hồ sơ đang giải quyết trong hạn', 6, null, r.inProgressOnTime),
    ]),
    group('online', 'Dịch vụ công trực tuyến', [
      indicator('procedures_online', 'Thủ tục cung cấp trực tuyến', 4, null, r.proceduresOnline),
      indicator('dossiers_online', 'Hồ sơ nộp trực tuyến', 8, 0.5, r.online),
    ]),
    group('payment', 'Thanh toán trực tuyến', [
      indicator('paid_online', 'Hồ sơ có phí thanh toán trực tuyến', 10, null, r.payment),
    ]),
    group('digitization', 'Số hóa hồ sơ', [
      indicator('e_results', 'Kết quả điện tử', 6, null, r.eResults),
      indicator('dossiers_digitized', 'Hồ sơ được số hóa', 8, 0.8, r.dossiersDigitized),
      indicator('reuse', 'Tái sử dụng dữ liệu số hóa', 8, 0.8, r.reuse),
    ]),
    group('satisfaction', 'Mức độ hài lòng', [
      indicator('satisfaction', 'Hài lòng về tiếp nhận và giải quyết', 18, null, r.satisfaction),
    ]),
  ];
  // The catalogue's two indicators are the same for every unit: a unit with no dossier to measure has
  // no score, rather than a near-perfect one earned by the catalogue alone.
  const measured = groups.flatMap((g) => g.indicators).filter((i) => i.points !== null);
  const anyDossierMeasured = measured.some((i) => !CATALOGUE_INDICATORS.has(i.key));
  const earned = round(
    measured.reduce((s, i) => s + (i.points ?? 0), 0),
    2,
  );
  const measurableMax = measured.reduce((s, i) => s + i.max, 0);
  const score766: Score766 = {
    total: anyDossierMeasured ? round((earned / measurableMax) * 100, 2) : null,
    earned,
    measurableMax,
    formula: 'điểm đạt ÷ điểm tối đa của các chỉ số đo được × 100',
    groups,
  };

  return {
    received,
    resolved,
    inProgress,
    processingDays: {
      average:
        resolvedTotal > 0 ? round(all.processing_hours / resolvedTotal / WORKING_HOURS_PER_DAY, 2) : null,
      median: medianDays(all),
      formula:
        'giờ làm việc từ khi bắt đầu tính hạn đến khi có kết quả, trừ thời gian chờ công dân, ÷ 8; trung vị tính theo ngày làm việc tròn lên',
    },
    onlineShare: r.online.value,
    fullOnlineShare: r.fullOnline.value,
    onTimeShare: r.onTime.value,
    proceduresOnline: { ...catalogue, share: r.proceduresOnline.value },
    digitization: {
      dossiersShare: r.dossiersDigitized.value,
      componentsShare: r.componentsDigitized.value,
      reuseShare: r.reuse.value,
      resultsShare: r.eResults.value,
    },
    onlinePaymentShare: r.payment.value,
    electronicResults: all.e_results,
    satisfaction: {
      rated,
      verySatisfied: all.rated_very,
      satisfied: all.rated_satisfied,
      notSatisfied: all.rated_not,
      share: r.satisfaction.value,
    },
    ratios: r,
    score766,
  };
}

export type Indicators = ReturnType<typeof computeIndicators>;
