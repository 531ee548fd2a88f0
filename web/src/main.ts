import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import './styles/base.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { useElementPlus } from './ui'

const app = createApp(App)
useElementPlus(app)
app.use(i18n).use(router).mount('#app')
