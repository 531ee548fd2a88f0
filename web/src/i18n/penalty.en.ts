// penalty statements and payments on the project page, English (merged into en.ts; every key must exist in both languages).
export default {
  title: 'Penalties',
  status: { issued: 'Unpaid', partially_paid: 'Partly paid', paid: 'Paid' },
  pay: 'Record a payment',
  total: 'Due',
  paid: 'Paid',
  outstanding: 'Owed',
  amount: 'Amount',
  paidOn: 'Paid on',
  receipt: 'Receipt no.',
  receiptHint: 'e.g. 许财缴〔2022〕101号',
  record: 'Record',
  cancel: 'Cancel',
  saved: 'Payment recorded',
}
