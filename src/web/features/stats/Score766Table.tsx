import { Anchor, Badge, Table, Text, Title } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FigureMetric, Score766 } from '../../api/stats.ts';
import {
  formatNumber,
  formatShare,
  groupName,
  indicatorFormula,
  indicatorName,
  LEVEL_COLOURS,
  scoreLevel,
} from './stats-format.ts';
import { RATIO_METRICS } from './stats-links.ts';

function PointsBadge({ points, max }: { points: number | null; max: number }) {
  const { t, i18n } = useTranslation();
  const level = scoreLevel(points, max);
  return (
    <Badge
      color={LEVEL_COLOURS[level]}
      variant="light"
      tt="none"
      style={{ border: '1px solid currentColor' }}
    >
      {t(`stats.score.level.${level}`)}
      {points === null ? '' : ` · ${formatNumber(points, i18n.language)}/${max}`}
    </Badge>
  );
}

/**
 * Decision 766's six groups and their indicators: points out of the maximum, the ratio with its
 * numerator and denominator (linked to the dossiers they count, for staff), and how it was computed.
 */
export function Score766Table({
  score,
  linkFor,
}: {
  score: Score766;
  linkFor?: (metric: FigureMetric) => string;
}) {
  const { t, i18n } = useTranslation();
  const n = (x: number | null) => formatNumber(x, i18n.language);
  const count = (value: number, metric: FigureMetric | undefined): ReactNode =>
    metric && linkFor ? (
      <Anchor component={Link} to={linkFor(metric)} inherit underline="always">
        {n(value)}
      </Anchor>
    ) : (
      n(value)
    );
  return (
    <section aria-labelledby="score-heading">
      <Title order={2} size="h3" id="score-heading">
        {t('stats.score.heading')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('stats.score.lead')}
      </Text>
      {/* On the board there are no links in it: the scrolled box itself takes the keyboard. */}
      <Table.ScrollContainer
        minWidth={760}
        scrollAreaProps={linkFor ? undefined : { viewportProps: { tabIndex: 0 } }}
      >
        <Table verticalSpacing="xs" withTableBorder className="score-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('stats.score.indicator')}</Table.Th>
              <Table.Th scope="col">{t('stats.score.points')}</Table.Th>
              <Table.Th scope="col">{t('stats.score.ratio')}</Table.Th>
              <Table.Th scope="col">{t('stats.score.formula')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {score.groups.map((g) => (
              <Fragment key={g.key}>
                <Table.Tr bg="gray.1">
                  <Table.Th scope="rowgroup" fw={700}>
                    {groupName(g, t)}
                  </Table.Th>
                  <Table.Td>
                    <PointsBadge points={g.points} max={g.max} />
                  </Table.Td>
                  <Table.Td colSpan={2} />
                </Table.Tr>
                {g.indicators.map((i) => {
                  const links = RATIO_METRICS[i.key] ?? {};
                  return (
                    <Table.Tr key={i.key}>
                      <Table.Th scope="row" fw={400} pl="lg">
                        {indicatorName(i, t)}
                      </Table.Th>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {i.points === null ? (
                          <Text size="sm" span>
                            {t('stats.score.notMeasured')} ({i.max})
                          </Text>
                        ) : (
                          t('stats.score.pointsOf', { points: n(i.points), max: i.max })
                        )}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text span fw={600} size="sm">
                          {formatShare(i.ratio.value, i18n.language, t)}
                        </Text>{' '}
                        ({count(i.ratio.numerator, links.numerator)}/
                        {count(i.ratio.denominator, links.denominator)})
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {indicatorFormula(i, t)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Fragment>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row">{t('stats.score.total')}</Table.Th>
              <Table.Td fw={700}>
                {score.total === null ? t('stats.noData') : `${n(score.total)}/100`}
              </Table.Td>
              <Table.Td>
                {t('stats.score.pointsOf', { points: n(score.earned), max: score.measurableMax })}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {t('stats.score.totalFormula')}
                </Text>
              </Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
