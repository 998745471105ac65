import { Alert, Anchor, Button, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { RankingItem } from '../../api/stats.ts';
import { formatNumber, formatShare } from './stats-format.ts';

/**
 * The units under a province (its communes) or under the nation (its provinces), best 766 score first.
 * A row opens that unit (its name is the link, the row is a larger target for the mouse); the overdue
 * figure opens the overdue list when there is one to see.
 */
export function RankingTable({
  items,
  level,
  unitLink,
  overdueLink,
}: {
  items: RankingItem[];
  /** What the units listed are. */
  level: 'province' | 'commune';
  unitLink: (code: string) => string;
  overdueLink?: (code: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const n = (x: number | null) => formatNumber(x, i18n.language);
  const share = (x: number | null) => formatShare(x, i18n.language, t);
  const heading = level === 'commune' ? t('stats.ranking.communes') : t('stats.ranking.provinces');
  // A province has a hundred communes, most with nothing yet: those wait behind a button.
  const [showAll, setShowAll] = useState(false);
  const measured = items.filter((u) => u.score766 !== null || u.received.total > 0 || u.inProgress.total > 0);
  const hidden = items.length - measured.length;
  const shown = showAll ? items : measured;
  const dash = (text: string) => (text === t('stats.noData') ? '—' : text);
  return (
    <section aria-labelledby="ranking-heading">
      <Title order={2} size="h3" id="ranking-heading">
        {heading}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('stats.ranking.lead')}
      </Text>
      {items.length === 0 ? (
        <Alert color="gray">{t('stats.ranking.empty')}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('stats.ranking.rank')}</Table.Th>
                <Table.Th scope="col">{t('stats.ranking.unit')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.ranking.score')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.ranking.received')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.ranking.onTime')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.ranking.online')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.ranking.satisfaction')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('stats.ranking.overdue')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((u, index) => (
                <Table.Tr
                  key={u.code}
                  style={{ cursor: 'pointer' }}
                  onClick={(e) => {
                    // A click on a link inside the row is the link's own.
                    if (!(e.target as HTMLElement).closest('a')) void navigate(unitLink(u.code));
                  }}
                >
                  <Table.Td>{u.score766 === null ? '—' : index + 1}</Table.Td>
                  <Table.Th scope="row" fw={500}>
                    <Anchor component={Link} to={unitLink(u.code)} inherit>
                      {u.name}
                    </Anchor>
                    <Text size="xs" c="dimmed" span>
                      {' '}
                      ({u.code})
                    </Text>
                  </Table.Th>
                  <Table.Td ta="right" fw={700}>
                    {u.score766 === null ? t('stats.noData') : n(u.score766)}
                  </Table.Td>
                  <Table.Td ta="right">{n(u.received.total)}</Table.Td>
                  <Table.Td ta="right">{dash(share(u.onTimeShare))}</Table.Td>
                  <Table.Td ta="right">{dash(share(u.onlineShare))}</Table.Td>
                  <Table.Td ta="right">{dash(share(u.satisfactionShare))}</Table.Td>
                  <Table.Td ta="right">
                    {overdueLink && u.inProgress.overdue > 0 ? (
                      <Anchor
                        component={Link}
                        to={overdueLink(u.code)}
                        inherit
                        underline="always"
                        aria-label={t('stats.ranking.overdueOf', { name: u.name })}
                      >
                        {n(u.inProgress.overdue)}
                      </Anchor>
                    ) : (
                      n(u.inProgress.overdue)
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {hidden > 0 ? (
        <Button variant="subtle" className="no-print" mt="xs" onClick={() => setShowAll((v) => !v)}>
          {showAll ? t('stats.ranking.hideEmpty') : t('stats.ranking.showEmpty', { count: hidden })}
        </Button>
      ) : null}
    </section>
  );
}
