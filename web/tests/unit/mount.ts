// Mounting a screen for a component test: Element Plus, the app's messages in the given
// language, and a memory router at `path` (the API is mocked by each test).
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import zhCN from '../../src/i18n/zh-CN'
import en from '../../src/i18n/en'
import { useElementPlus } from '../../src/ui'

export async function mountScreen(c: Component, opts: { locale?: 'zh-CN' | 'en'; path?: string; route?: string } = {}) {
  const i18n = createI18n({ legacy: false, locale: opts.locale ?? 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: opts.route ?? '/:rest(.*)*', component: c },
      { path: '/:other(.*)*', component: { template: '<div />' } },
    ],
  })
  await router.push(opts.path ?? '/')
  await router.isReady()
  const w = mount(c, {
    attachTo: document.body,
    global: { plugins: [i18n, router, { install: (app) => useElementPlus(app) }] },
  })
  await flushPromises()
  return { w, router }
}

/** Waits until `f` holds (component updates run over several ticks). */
export async function until(f: () => boolean, ms = 2000) {
  const end = Date.now() + ms
  while (!f()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** An Element Plus input by its data-test (on the <input> itself or on its wrapper). */
export function field(w: VueWrapper, name: string) {
  return w.find(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input`)
}
