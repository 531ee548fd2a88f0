// What a record page (a case, a 标准地 project) shares: the record and its definition loaded
// from the route's id, reloaded after a step, and the messages of a step done or of a record
// changed meanwhile.
import { computed, onMounted, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute } from 'vue-router'
import { ElMessage } from 'element-plus'
import { ApiError } from '../api/http'
import { oneRecord, workflowDef, type WfCollection, type WfDetail, type WorkflowDef } from '../api/workflow'

export function useWfRecord<D>(collection: WfCollection) {
  const { t } = useI18n()
  const route = useRoute()
  const id = computed(() => String(route.params.id))
  const detail = ref<WfDetail<D> | null>(null)
  const def = ref<WorkflowDef>()
  const error = ref('')

  async function load() {
    error.value = ''
    try {
      const [d, w] = await Promise.all([oneRecord<D>(collection, id.value), workflowDef(collection)])
      detail.value = d as WfDetail<D>
      def.value = w
    } catch (e) {
      error.value = e instanceof ApiError && e.status === 404 ? t('work.notFound') : String((e as Error).message)
    }
  }
  onMounted(load)
  watch(id, load)

  async function done(label: string) {
    ElMessage.success(t('work.done', { label }))
    await load()
  }
  async function stale() {
    ElMessage.warning(t('work.stale'))
    await load()
  }
  return { id, detail, def, error, load, done, stale }
}
