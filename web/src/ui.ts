// The Element Plus components the UI uses, registered once (imported one by one so that the
// bundle holds only these).
import type { App } from 'vue'
import {
  ElAlert, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElCol, ElConfigProvider, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu,
  ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElRadioButton,
  ElRadioGroup, ElRow, ElSelect, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTimeline,
  ElTimelineItem, ElTooltip, ElUpload, ElLoading, ElSwitch, ElProgress, ElPagination, ElPopconfirm,
} from 'element-plus'

const components = [
  ElAlert, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElCol, ElConfigProvider, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu,
  ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElRadioButton,
  ElRadioGroup, ElRow, ElSelect, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTimeline,
  ElTimelineItem, ElTooltip, ElUpload, ElSwitch, ElProgress, ElPagination, ElPopconfirm,
]

export function useElementPlus(app: App) {
  for (const c of components) app.component(c.name as string, c)
  app.use(ElLoading)
}
