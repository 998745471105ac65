import { Stepper } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

export const STEPS = ['eligibility', 'applicant', 'papers', 'review'] as const;

/**
 * The four steps as numbered circles; their names show on wider screens only (a 360 px phone reads the
 * current step's name in the heading below). A finished step can be clicked to go back to it.
 */
export function WizardSteps({ active, onBack }: { active: number; onBack?: (step: number) => void }) {
  const { t } = useTranslation();
  const wide = useMediaQuery('(min-width: 40em)');
  return (
    <Stepper
      active={active}
      size="sm"
      iconSize={36}
      allowNextStepsSelect={false}
      onStepClick={(step) => step >= 1 && step < active && onBack?.(step)}
    >
      {STEPS.map((s, i) => {
        const label = t(`citizen.submit.steps.${s}`);
        return (
          <Stepper.Step
            key={s}
            label={wide ? label : undefined}
            // A phone shows only the number: the name is told to screen readers instead.
            aria-label={
              wide ? undefined : `${t('citizen.submit.stepOf', { n: i + 1, total: STEPS.length })}: ${label}`
            }
            aria-current={i === active ? 'step' : undefined}
            allowStepSelect={i >= 1 && i < active && onBack !== undefined}
          />
        );
      })}
    </Stepper>
  );
}
