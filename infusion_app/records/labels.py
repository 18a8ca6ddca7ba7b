"""The words printed around the data, in the interface's language.

Records are made without Qt (they are also printed from the CLI), so they cannot use the
window's translator; the printed labels live here. The entries the rule book writes (event
details, refusal texts) are message values, printed in the printout's language by the message
tables (infusion_app/texts); what a person typed, and a line stored as text, print as recorded.
"""

from __future__ import annotations

from datetime import tzinfo

from infusion_app.logic import messages as m
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol_texts import readable
from infusion_app.texts import glossary, render

LANGUAGES = ("en", "zh_CN")

# the terms the window shows too come from the one glossary; these are the paper's own
ZH_CN: dict[str, str] = {
    **glossary.ZH_CN,
    # page and sections
    "Infusion record": "输注记录",
    "Infusion log": "输注日志",
    "Site": "研究中心",
    "Printed": "打印于",
    "by": "由",
    "Page {page} of {pages}": "第 {page} 页，共 {pages} 页",
    "Head hash": "链头哈希",
    "Cycle": "周期",
    "Dose": "剂次",
    "Record created at station": "记录创建于工作站",
    "All times are local": "所有时间均为本地时间",
    "Dose level / group": "剂量水平/组别",
    "Weight used for the dose": "计算剂量所用体重",
    "Weight on record": "记录体重",
    "measured": "测量于",
    "Expires": "有效期至",
    "Concentration (CoA)": "浓度（检验报告）",
    "Bag volume (CoA)": "袋装体积（检验报告）",
    "Release criteria as checked at release": "放行时核查的放行标准",
    "Release signature": "放行签名",
    "missing": "缺失",
    "Not released": "未放行",
    "not released": "未放行",
    "criteria evaluated at printing": "标准按打印时评估",
    "CoA value": "检验结果",
    "Product and certificate of analysis": "产品与检验报告",
    "Dose calculation": "剂量计算",
    "No dose was calculated.": "未计算剂量。",
    "Target dose": "目标剂量",
    "Concentration": "浓度",
    "viable": "活细胞",
    "viable basis": "按活细胞",
    "total": "总细胞",
    "basis": "计",
    "Viability": "活率",
    "Product volume": "产品体积",
    "Delivered cells": "输注细胞数",
    "Deviation from target": "与目标偏差",
    "tolerance": "允许范围",
    "Final volume": "最终体积",
    "diluent": "稀释液",
    "Drip plan": "滴速计划",
    "drop factor": "滴系数",
    "expected": "预计",
    "Calculated by": "计算者",
    "Verified by": "核对者",
    "not verified": "未核对",
    "Phase": "阶段",
    "Minutes": "分钟",
    "Volume": "体积",
    "Timeline": "时间线",
    "Every entry as recorded. A correction is its own entry and is also named beside the "
    "entry it corrects; the original stays readable.": "每条记录均按原样列出。更正是一条独立记录，"
    "并在被更正的记录旁注明；原记录保持可读。",
    "Occurred": "发生时间",
    "Recorded": "记录时间",
    "same": "同左",
    "Back-entered": "补录",
    "no reason given": "未给出原因",
    "Corrected by": "更正记录",
    "corrected by": "更正记录",
    "No vital signs were recorded.": "未记录生命体征。",
    "baseline": "基线",
    "infusion": "输注中",
    "observation": "观察期",
    "follow-up": "随访",
    "oxygen": "吸氧",
    "air": "空气",
    "low": "低",
    "low-medium": "低-中",
    "medium": "中",
    "high": "高",
    "Trend of the vital signs": "生命体征趋势",
    "Adverse events (CTCAE v5.0)": "不良事件（CTCAE v5.0）",
    "No adverse events were recorded.": "未记录不良事件。",
    "Serious": "严重",
    "reported": "已报告",
    "report due": "报告截止",
    "yes": "是",
    "no": "否",
    "unrelated": "无关",
    "unlikely": "可能无关",
    "possible": "可能有关",
    "probable": "很可能有关",
    "definite": "肯定有关",
    "not recovered / ongoing": "未恢复/持续",
    "recovering": "恢复中",
    "recovered": "已恢复",
    "recovered with sequelae": "恢复伴后遗症",
    "fatal": "死亡",
    "none": "无",
    "rate held or reduced": "维持或降低滴速",
    "infusion interrupted": "输注中断",
    "infusion discontinued": "输注终止",
    "treatment given": "给予治疗",
    "Deviations and overrides": "偏离与越权操作",
    "None recorded.": "无记录。",
    "Override": "越权确认",
    "Check failed": "核对失败",
    "Slow rate held": "维持慢速",
    "recorded": "记录于",
    "Signatures": "签名",
    "Electronic signatures (21 CFR 11.50): printed name, date and time, meaning.": (
        "电子签名（21 CFR 11.50）：签名人姓名、日期时间及签名含义。"
    ),
    "Date and time": "日期时间",
    "Signs": "签署对象",
    "Log verification": "日志校验",
    "intact": "完整",
    "BROKEN": "已损坏",
    "Events in this infusion's chain": "本次输注链中的事件数",
    "Head entry": "链头记录",
    "Head hash of this infusion's chain": "本次输注链的链头哈希",
    "To compare a later copy with this paper": "将日后副本与本纸质记录比对",
    # states
    "not started": "未开始",
    "running": "输注中",
    "paused": "已暂停",
    "stopped": "已停止",
    "observation complete": "观察完成",
    # monitor's log
    "Dose given": "给予剂量",
    "Start": "开始",
    "Duration min": "时长（分钟）",
    "Reactions": "反应数",
    "Max AE grade": "最高不良事件分级",
    "Deviations": "偏离数",
    "Signatures complete": "签名完整",
    "Totals": "合计",
    "with reactions": "有反应",
    "signatures incomplete": "签名不完整",
    "All infusions of patient": "患者全部输注",
    "All infusions of the site from": "本中心输注，自",
    "No infusions match.": "无符合条件的输注。",
    # --- the patient's course record and the log's course columns (issue 14) ---
    "Patient course record": "患者疗程记录",
    "Windows are whole local days of {zone}.": "时间窗按 {zone} 的完整当地日计算。",
    "Patient and enrolment": "患者与入组",
    "Trial protocol": "试验方案",
    "not enrolled": "未入组",
    "Level changed": "剂量水平变更",
    "from infusion {number}": "自第 {number} 次输注起",
    "End of treatment": "治疗结束",
    "treatment not ended": "治疗未结束",
    "signature": "签名",
    "signed": "已签名",
    "from": "自",
    "Treatment plan and infusions given": "治疗计划与实际输注",
    "This protocol version plans no course.": "此方案版本未规定疗程计划。",
    "Target date": "目标日期",
    "Actual start": "实际开始",
    "Deviation and reason": "偏离及原因",
    "started after its window closed": "时间窗关闭后开始",
    "no reason recorded": "未记录原因",
    "Deviations from the schedule": "偏离计划",
    "Late infusion": "延迟输注",
    "Enrolment against the dose-finding rule": "违反剂量探索规则的入组",
    "Missed infusion": "错过输注",
    "Late visit": "延迟访视",
    "Missed visit": "错过访视",
    "Early visit": "提前访视",
    "Late sample": "延迟采样",
    "Missed sample": "错过采样",
    "Early sample": "提前采样",
    "Late check": "延迟检查",
    "Missed check": "错过检查",
    "Early check": "提前检查",
    "Late assessment": "延迟评估",
    "Missed assessment": "错过评估",
    "Early assessment": "提前评估",
    "Done at": "完成时间",
    "not done": "未完成",
    "Visits, checks and samples": "访视、检查与样本",
    "None planned.": "无计划项目。",
    "Reason / note": "原因/备注",
    "Adverse events of the course (CTCAE v5.0)": "疗程不良事件（CTCAE v5.0）",
    "Recorded in": "记录于",
    "review pending": "待审阅",
    "Infusion of the plan": "计划中的输注",
    "Days since previous": "距上次输注天数",
    "Schedule deviation": "计划偏离",
    "Started after its window": "时间窗关闭后开始",
    # --- the safety-review decision record (issue 15) ---
    "Safety review decision record": "安全性审查决定记录",
    "draft, not signed": "草稿，未签署",
    "DRAFT: no signed review": "草稿：无已签署的审查",
    "Review #{seq}, signed {at}": "审查 #{seq}，签署于 {at}",
    "not set": "未设定",
    "source": "来源",
    "Method": "方法",
    "Escalation (protocol)": "剂量递增（方案规定）",
    "Levels in order": "剂量水平顺序",
    "Cohort size": "队列人数",
    "DLTs counted": "DLT 计数范围",
    "Target DLT rate": "目标 DLT 率",
    "Elimination cutoff": "剔除界值",
    "Dose-finding patients": "剂量探索患者数",
    "Maximum per level": "每个剂量水平最多人数",
    "DLT definition": "DLT 定义",
    "DLT minimum grade": "DLT 最低分级",
    "DLT window (days)": "DLT 观察期（天）",
    "DLT window from": "DLT 观察期起点",
    "The protocol's words": "方案原文",
    "The dose-finding rule (protocol {label})": "剂量探索规则（方案 {label}）",
    "Signed review": "已签署的审查",
    "#{seq} of the trial's log ({index} of {total} signed reviews)": (
        "试验日志第 #{seq} 条（共 {total} 次已签署审查中的第 {index} 次）"
    ),
    "Protocol as signed": "签署时的方案",
    "none: dose finding over": "无：剂量探索已结束",
    "Maximum tolerated level": "最大耐受剂量水平",
    "not known yet": "尚未确定",
    "Eliminated levels": "已剔除的剂量水平",
    "BOIN select.mtd": "BOIN select.mtd",
    "Largest dose equal or closest to the target": "等于或最接近目标的最大剂量",
    "Chosen optimal dose": "选定的最佳剂量",
    "no choice was needed": "无需选择",
    "Why (the rule, on the signed counts)": "依据（按签署时的计数应用规则）",
    "Comment": "备注",
    "Patients the review saw": "审查涉及的患者",
    "The signed decision": "已签署的决定",
    "none due yet": "尚无待定决定",
    "not signed: the tracker as it stands at the print time": "未签署：打印时的剂量探索进展",
    "Current level": "当前剂量水平",
    "The rule's decision now": "规则当前的决定",
    "Why": "依据",
    "Waiting for": "等待",
    "DLT windows open": "未结束的 DLT 观察期",
    "not known": "未知",
    "To be replaced": "需替换",
    "Draft: no decision is signed": "草稿：尚无已签署的决定",
    "Counts per level as signed": "签署时各剂量水平计数",
    "Counts per level now": "当前各剂量水平计数",
    "The record has changed since this review was signed.": "本次审查签署后记录已有变化。",
    "The counts now are the same as signed.": "当前计数与签署时相同。",
    "BOIN decision table (target {target}, lambda_e {e}, lambda_d {d})": (
        "BOIN 决策表（目标 {target}，lambda_e {e}，lambda_d {d}）"
    ),
    "Evaluable patients (n)": "可评价患者数（n）",
    "Decided cell": "决定所在单元格",
    "→ level {level}: {y} DLT in {n}": "→ 剂量水平 {level}：{n} 例中 {y} 例 DLT",
    "No patient is evaluable at the decided level yet.": "决定所在剂量水平尚无可评价患者。",
    "The decided level's n is beyond the table.": "决定所在剂量水平的 n 超出本表范围。",
    "The marked row is the decided level's n; the marked cell the rule applied.": (
        "标记行为决定所在剂量水平的 n；标记单元格为所应用的规则。"
    ),
    "'-': no count of DLTs in n does it.": "“-”：n 例中任何 DLT 数均不触发。",
    "Flagged DLTs and their adjudication": "标记的 DLT 及其判定",
    "No adverse event was flagged as a DLT.": "无被标记为 DLT 的不良事件。",
    "grade": "级",
    "Recorded as": "记录位置",
    "By, when": "判定者及时间",
    "after this review": "在本次审查之后",
    "Local time": "当地时间",
    "Review no.": "审查编号",
    "Signed at": "签署时间",
    "Next": "下一水平",
    "printed": "本记录",
    "All signed reviews of this trial": "本试验所有已签署的审查",
    "escalate": "递增",
    "de-escalate": "降级",
    "stay": "维持",
    "expand": "扩展",
    "stop": "停止",
    "select": "选定最佳剂量",
    "decision_due": "待签署决定",
    "selection_due": "待选定最佳剂量",
    "expansion": "扩展阶段",
    "complete": "已结束",
    # --- the trial summary (issue 16, h-summary16) ---
    "Trial summary": "试验总结",
    "Data cut": "数据截止",
    "Patients counted": "纳入统计的患者",
    "Streams read": "读取的记录链",
    "see the appendix": "见附录",
    "Heads digest": "链头摘要",
    "Evaluable for DLT": "DLT 可评价",
    "Confirmed DLTs (rate)": "已确认 DLT（发生率）",
    "Patients, infusions, DLTs and adverse events per level": (
        "各剂量水平的患者、输注、DLT 与不良事件"
    ),
    "Patients are counted at the level they were enrolled at; each patient once per column. "
    "DLT rate: patients with a confirmed DLT over evaluable patients.": (
        "患者按入组时的剂量水平计数；每列中每例患者只计一次。DLT 发生率：已确认 DLT 的患者数"
        "除以可评价患者数。"
    ),
    "Treatment-related adverse events by CTCAE term and worst grade": (
        "按 CTCAE 术语与最高分级列出的治疗相关不良事件"
    ),
    "No treatment-related adverse event.": "无治疗相关不良事件。",
    "Patients": "患者数",
    "Attribution possible, probable or definite. Each patient is counted once per term, at "
    "the worst grade of that term.": (
        "相关性为可能、很可能或肯定。每例患者每个术语只计一次，按该术语的最高分级计。"
    ),
    "Haematological response": "血液学缓解",
    "Week": "周",
    "Assessed": "已评估",
    "Not assessable yet": "尚不可评估",
    "Over the treated patients whose status that week is final; a week not reached at the "
    "data cut, or counted from a last infusion not known yet, is not assessable yet (not "
    "counted as no response).": (
        "分母为该周状态已确定的已治疗患者；数据截止时尚未到达的评估周，或末次输注尚未确定的，"
        "计为尚不可评估（不计为未缓解）。"
    ),
    "Time to response": "至缓解时间",
    "Duration of response (median, Kaplan-Meier)": "缓解持续时间（中位，Kaplan-Meier）",
    "Responders / ended / censored": "缓解例数 / 结束 / 删失",
    "Median days from the first infusion to the response, over the patients who achieved it "
    "(n); with an even n, the midpoint of the two middle values.": (
        "自首次输注至缓解的中位天数，仅计达到缓解的患者（n）；n 为偶数时取中间两个值的中点。"
    ),
    "not reached": "未达到",
    "Tumour response and survival": "肿瘤缓解与生存",
    "Disease control (CR, PR or SD)": "疾病控制（CR、PR 或 SD）",
    "n / events": "例数 / 事件数",
    "median, days (95 % CI)": "中位天数（95% CI）",
    "Disease control over the patients with a tumour assessment. Kaplan-Meier medians with "
    "the log-log 95 % interval (Greenwood); days from the first dose.": (
        "疾病控制率的分母为有肿瘤评估的患者。Kaplan-Meier 中位数及其 log-log 95% 置信区间"
        "（Greenwood）；自首次给药起的天数。"
    ),
    "Kaplan-Meier estimate": "Kaplan-Meier 估计",
    "Days from the first dose": "自首次给药起的天数",
    "Probability": "概率",
    "Number at risk": "风险人数",
    "Appendix: data cut and the streams read": "附录：数据截止与读取的记录链",
    "Read at": "读取时间",
    "Each stream up to the entry named, whose hash begins as shown. The heads digest is "
    "sha256 over one line per stream: its name, entry number and hash.": (
        "每条记录链读取至所列条目，其哈希值以所示字符开头。链头摘要为对每条记录链一行"
        "（名称、条目编号与哈希值）计算的 sha256。"
    ),
    "Stream": "记录链",
    "Last entry read": "读取的最后条目",
    "No stream: no patient is enrolled.": "无记录链：尚无患者入组。",
    "no patient has a time yet.": "尚无患者有生存时间。",
    # --- the vitals table and chart in Chinese (issue 17, h-zhqt) ---
    "BP": "血压",
    "O2": "给氧",
    "HR /min": "心率 次/分",
    "SBP mmHg": "收缩压 mmHg",
    "DBP mmHg": "舒张压 mmHg",
    "RR /min": "呼吸 次/分",
}


class Labels:
    """``tr("Patient")`` -> the printed label in the chosen language (English as written)."""

    def __init__(self, language: str = "en", zone: tzinfo | None = None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        self.language = language
        self.zone = zone  # the page's zone: a message's times print as local minutes in it
        self._table = ZH_CN if language == "zh_CN" else {}

    def __call__(self, text: str) -> str:
        return self._table.get(text, text)

    def term(self, name: str) -> str:
        """An adverse event's term as printed: in Chinese, the published Chinese name of the
        CTCAE v5.0 term with the English term beside it, 发热（Fever）, since a monitor or the
        sponsor's safety desk reads the English term and the nurse the Chinese; a term the
        app does not list (an "Other, specify" term) is printed as recorded."""
        if self.language == "en":
            return name
        text = render(m.value_of("ae_term", name), self.language)
        return name if text == name else f"{text}（{name}）"

    def message(self, message: Message) -> str:
        """A message value in the printout's language and zone, by the message tables."""
        return render(message, self.language, self.zone)

    def protocol(self, text: str) -> str:
        """A protocol file's own text (title, site, a level's label, a rule, a note) in the
        printout's language, from the catalogue beside the protocol files (the one look-up the
        window uses too); as the file writes it where there is no translation."""
        return readable(text, self.language)
