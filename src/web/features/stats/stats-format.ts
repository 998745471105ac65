import type { TFunction } from 'i18next';
import type { Score766 } from '../../api/stats.ts';

const locale = (language: string) => (language === 'en' ? 'en-GB' : language);

/** 87,5% (one decimal at most), or the words for "no data" when nothing was there to measure. */
export function formatShare(value: number | null | undefined, language: string, t: TFunction) {
  if (value === null || value === undefined) return t('stats.noData');
  return new Intl.NumberFormat(locale(language), {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(value);
}

/** 1.234 in Vietnamese, 1,234 in English; up to two decimals. */
export function formatNumber(value: number | null | undefined, language: string) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(language), { maximumFractionDigits: 2 }).format(value);
}

export type ScoreLevel = 'good' | 'fair' | 'poor' | 'none';

/** A band for the points earned out of the points possible (the badge's colour is never the only signal). */
export function scoreLevel(points: number | null, max: number): ScoreLevel {
  if (points === null || max <= 0) return 'none';
  const share = points / max;
  return share >= 0.8 ? 'good' : share >= 0.5 ? 'fair' : 'poor';
}

export const LEVEL_COLOURS: Record<ScoreLevel, string> = {
  good: 'green',
  fair: 'yellow',
  poor: 'red',
  none: 'gray',
};

type Group = Score766['groups'][number];
type Indicator = Group['indicators'][number];

/** Names and formulas in the reader's language; the server's Vietnamese when a key is new to the app. */
export function groupName(group: Group, t: TFunction) {
  return t(`stats.score.groups.${group.key}` as 'stats.score.groups.online', { defaultValue: group.name });
}

export function indicatorName(indicator: Indicator, t: TFunction) {
  return t(`stats.score.indicators.${indicator.key}` as 'stats.score.indicators.reuse', {
    defaultValue: indicator.name,
  });
}

export function indicatorFormula(indicator: Indicator, t: TFunction) {
  const ratio = t(`stats.score.ratios.${indicator.key}` as 'stats.score.ratios.reuse', {
    defaultValue: indicator.ratio.formula,
  });
  return indicator.target === null
    ? t('stats.score.withoutTarget', { max: indicator.max, ratio })
    : t('stats.score.withTarget', {
        max: indicator.max,
        ratio,
        target: `${Math.round(indicator.target * 100)}%`,
      });
}
