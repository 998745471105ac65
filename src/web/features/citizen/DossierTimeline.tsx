import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CitizenDossier } from '../../api/citizen.ts';
import { formatDateTime } from '../../components/format.ts';

/** What happened to the dossier and when, in the citizen's words (no officers' names). */
export function DossierTimeline({ events }: { events: CitizenDossier['timeline'] }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <Text>{t('citizen.dossier.noEvents')}</Text>;
  return (
    <Timeline bulletSize={14} lineWidth={2} active={events.length - 1}>
      {events.map((e) => (
        <Timeline.Item
          key={`${e.at}-${e.kind}`}
          title={i18n.exists(`actions.${e.kind}`) ? t(`actions.${e.kind as 'intake'}`) : e.kind}
        >
          <Text size="sm" c="dimmed">
            {formatDateTime(e.at, i18n.language)}
          </Text>
          {e.verdict ? <Text size="sm">{t(`verdict.${e.verdict}`)}</Text> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
