// One list of an administration tab: its rows, the error of the last request (the server's
// reason in the UI language), and `act` to run a change and reload — so that each panel only
// says what it lists and what it changes.
import { onMounted, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/http'
import { problemText } from '../workflow/logic'

export function useAdminList<T>(fetch: () => Promise<T[]>) {
  const { locale } = useI18n()
  const rows = ref([]) as Ref<T[]>
  const error = ref('')
  const busy = ref(false)

  const fail = (e: unknown) => {
    error.value = e instanceof ApiError ? problemText(e.problem, locale.value, e.message) : String(e)
  }
  async function load() {
    try {
      rows.value = await fetch()
    } catch (e) {
      fail(e)
    }
  }
  /** Runs a change, then reloads the list; an error is shown and the list kept as it was. */
  async function act(change: () => Promise<unknown>) {
    error.value = ''
    busy.value = true
    try {
      await change()
      await load()
    } catch (e) {
      fail(e)
    } finally {
      busy.value = false
    }
  }
  onMounted(load)
  return { rows, error, busy, load, act }
}
