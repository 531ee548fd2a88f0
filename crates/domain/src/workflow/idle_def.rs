//! The idle-case workflow definition (§1.7) with the statutory time limits of §1.6; see
//! [`super::idle_case`] for the legal guards applied on top of it.

use super::builder::DefBuilder;
use super::engine::WorkflowDef;
use crate::access::Role;
use crate::rules::dates::PeriodUnit;

const ART5: &str = "《闲置土地处置办法》第五条";
const ART17: &str = "《闲置土地处置办法》第十七条";

/// The idle-case workflow (§1.7), version `53-2012.1`.
pub fn idle_case_workflow() -> WorkflowDef {
    use PeriodUnit::{Days, WorkingDays};
    use Role::{Admin, City, County, Enterprise};
    let officer = &[Admin, City, County];
    DefBuilder::new("idle_case", "闲置土地处置", "53-2012.1", "suspected")
        .status(
            "suspected",
            "疑似闲置",
            &["核实合同约定动工日期", "现场踏勘"],
        )
        .due("discovered", 30, Days, ART5)
        .status(
            "notice_issued",
            "已送达调查通知书",
            &["等待使用权人提交说明材料"],
        )
        .due("notice_served", 30, Days, ART5)
        .status(
            "under_review",
            "调查审查",
            &["询问、现场勘测、拍照摄像", "审查闲置原因"],
        )
        .due(
            "response_received",
            60,
            Days,
            "§1.6 step 3 [PROPOSED-DEFAULT SLA]",
        )
        .terminal("not_idle", "不构成闲置")
        .status(
            "gov_cause_confirmed",
            "政府原因已确认",
            &["书面告知相关政府部门", "公开闲置原因"],
        )
        .status(
            "negotiating",
            "协商处置",
            &["延长动工期限≤1年 / 调整用途 / 临时使用≤2年 / 协议有偿收回 / 置换"],
        )
        .status(
            "plan_submitted",
            "处置方案报批",
            &["报本级人民政府批准", "书面通知抵押权人"],
        )
        .status("plan_approved", "方案已批准", &["签订补充协议"])
        .status("executing_plan", "方案执行中", &["跟踪新约定动工日期"])
        .status(
            "idle_confirmed",
            "已认定闲置",
            &["出具闲置土地认定书", "门户网站公开"],
        )
        .due(
            "idle_confirmed",
            10,
            WorkingDays,
            "《闲置土地处置办法》第十一条 [PROPOSED-DEFAULT 10 working days]",
        )
        .status("hearing_notified", "已告知听证权利", &["等待听证申请"])
        .due(
            "hearing_notice_served",
            5,
            WorkingDays,
            "《闲置土地处置办法》第十五条 [RECALLED]",
        )
        .status("hearing_requested", "已申请听证", &["组织听证"])
        .due(
            "hearing_requested",
            20,
            WorkingDays,
            "《国土资源听证规定》 [RECALLED]",
        )
        .status("hearing_held", "已听证", &["制作决定书"])
        .status(
            "fee_decision_issued",
            "已下达征缴土地闲置费决定书",
            &["督促缴纳闲置费（不得列入生产成本）"],
        )
        .due("decision_served", 30, Days, ART17)
        .status(
            "recovery_decision_issued",
            "已下达收回决定书",
            &["注销登记、缴回证书", "抄送抵押权人"],
        )
        .due("decision_served", 30, Days, ART17)
        .status("under_appeal", "复议或诉讼中", &["跟踪复议/诉讼结果"])
        .status(
            "enforcement",
            "强制执行",
            &["公告注销", "申请人民法院强制执行"],
        )
        .terminal("closed", "处置完毕")
        .terminal("recovered", "已无偿收回")
        .go(
            "suspected",
            "notice_issued",
            "送达闲置土地调查通知书",
            officer,
        )
        .docs(&["闲置土地调查通知书"])
        .go("suspected", "not_idle", "核实不构成疑似闲置", officer)
        .go(
            "notice_issued",
            "under_review",
            "收到说明材料或答复期满",
            &[Admin, City, County, Enterprise],
        )
        .go("under_review", "not_idle", "认定不构成闲置", officer)
        .go(
            "under_review",
            "gov_cause_confirmed",
            "确认政府或不可抗力原因",
            officer,
        )
        .fields(&["gov_cause"])
        .go("under_review", "idle_confirmed", "认定闲置", officer)
        .docs(&["闲置土地认定书"])
        .go("gov_cause_confirmed", "negotiating", "启动协商", officer)
        .go("negotiating", "plan_submitted", "报送处置方案", officer)
        .fields(&["disposal_option"])
        .go(
            "plan_submitted",
            "plan_approved",
            "本级政府批准方案",
            &[Admin, City],
        )
        .docs(&["处置方案批复"])
        .go("plan_approved", "executing_plan", "签订补充协议", officer)
        .go("executing_plan", "closed", "处置完毕", officer)
        .go(
            "idle_confirmed",
            "hearing_notified",
            "送达听证告知书",
            officer,
        )
        .docs(&["听证告知书"])
        .go(
            "hearing_notified",
            "hearing_requested",
            "申请听证",
            &[Enterprise, Admin, City, County],
        )
        .go("hearing_requested", "hearing_held", "举行听证", officer)
        .docs(&["听证笔录"])
        .go(
            "hearing_notified",
            "fee_decision_issued",
            "下达征缴土地闲置费决定书",
            officer,
        )
        .docs(&["征缴土地闲置费决定书"])
        .go(
            "hearing_held",
            "fee_decision_issued",
            "下达征缴土地闲置费决定书",
            officer,
        )
        .docs(&["征缴土地闲置费决定书"])
        .go(
            "hearing_notified",
            "recovery_decision_issued",
            "下达收回国有建设用地使用权决定书",
            officer,
        )
        .docs(&["收回国有建设用地使用权决定书"])
        .go(
            "hearing_held",
            "recovery_decision_issued",
            "下达收回国有建设用地使用权决定书",
            officer,
        )
        .docs(&["收回国有建设用地使用权决定书"])
        // A fee case still open when the idleness reaches two years escalates with a new
        // hearing notice (§1.7 [PROPOSED-DEFAULT]).
        .go(
            "fee_decision_issued",
            "hearing_notified",
            "满二年升级为收回（重新告知听证）",
            officer,
        )
        .docs(&["听证告知书"])
        .go("fee_decision_issued", "closed", "闲置费缴清", officer)
        .fields(&["paid_yuan"])
        .go(
            "fee_decision_issued",
            "under_appeal",
            "申请复议或提起诉讼",
            &[Enterprise, Admin, City, County],
        )
        .go("fee_decision_issued", "enforcement", "逾期不履行", officer)
        .go(
            "recovery_decision_issued",
            "recovered",
            "注销登记、缴回证书",
            officer,
        )
        .go(
            "recovery_decision_issued",
            "under_appeal",
            "申请复议或提起诉讼",
            &[Enterprise, Admin, City, County],
        )
        .go(
            "recovery_decision_issued",
            "enforcement",
            "逾期不履行",
            officer,
        )
        .go("under_appeal", "closed", "撤销决定或履行完毕", officer)
        .go("under_appeal", "enforcement", "维持决定且不履行", officer)
        .go("enforcement", "recovered", "公告注销登记", officer)
        .go("enforcement", "closed", "强制征缴完毕", officer)
        .build()
}
