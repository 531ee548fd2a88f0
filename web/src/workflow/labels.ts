// Labels of workflow statuses, steps and fields in the reader's language: Chinese from the
// definition the server sends, English from the i18n files (the definition's Chinese label when
// a code has none).
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { TransitionDef, WorkflowDef } from '../api/workflow'
import type { Locale } from '../format'
import { statusLabelZh } from './logic'

export function useWfLabels() {
  const { t, te, locale } = useI18n()
  const loc = computed(() => locale.value as Locale)
  const zh = () => loc.value === 'zh-CN'
  return {
    loc,
    status(def: WorkflowDef | undefined, code: string): string {
      if (!zh() && te(`wfStatus.${code}`)) return t(`wfStatus.${code}`)
      return statusLabelZh(def, code)
    },
    step(tr: TransitionDef): string {
      if (!zh() && te(`wfStep.${tr.to}`)) return t(`wfStep.${tr.to}`)
      return tr.label_zh
    },
    field(code: string): string {
      return te(`wfField.${code}`) ? t(`wfField.${code}`) : code
    },
    check(code: string): string {
      return te(`wfCheck.${code}`) ? t(`wfCheck.${code}`) : code
    },
  }
}

/** Tag colour of a status: terminal grey, with a deadline orange, else blue. */
export function statusTagType(def: WorkflowDef | undefined, code: string): 'info' | 'warning' | 'primary' | 'success' {
  const s = def?.statuses.find((x) => x.code === code)
  if (!s) return 'info'
  if (s.terminal) return 'success'
  return s.deadline ? 'warning' : 'primary'
}
