// penalty statements and payments on the project page, 简体中文 (merged into zh-CN.ts; every key must exist in both languages).
export default {
  title: '违约金',
  status: { issued: '未缴', partially_paid: '部分缴纳', paid: '已缴清' },
  pay: '登记缴款',
  total: '应缴',
  paid: '已缴',
  outstanding: '尚欠',
  amount: '缴款金额',
  paidOn: '缴款日期',
  receipt: '缴款凭证号',
  receiptHint: '如 许财缴〔2022〕101号',
  record: '登记',
  cancel: '取消',
  saved: '缴款已登记',
}
