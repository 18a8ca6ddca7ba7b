"""The one Chinese glossary: the terms the window and the printed record both show.

The window's texts (tools/zh_CN_texts.py, written into resources/translations) and the PDF's
labels (:mod:`infusion_app.records.labels`) each add only the texts the other does not use;
a term both use is translated here, once, so screen and paper say the same (the two tables
had drifted apart on 8 of their 35 shared terms, 受试者编号 on screen and 试验编号 on paper).
Where they differed the screen's choice stayed, unless the paper's was clearly better.
"""

from __future__ import annotations

ZH_CN: dict[str, str] = {
    # the patient
    "Patient": "患者",
    # the patient's ID in the trial, not the trial's own ID (was 试验编号 on paper)
    "Trial ID": "受试者编号",
    "Initials": "姓名缩写",
    "Sex": "性别",
    # the product
    "Product": "产品",
    "Product ID": "产品编号",
    "Lot": "批号",
    "Criterion": "标准",
    "Limit": "限度",
    "Result": "判定",  # a pass or fail per criterion (was 结果 on paper)
    "released": "已放行",
    "dispensed": "已发放",
    # the infusion and its log
    "Infusion": "输注",
    "Infusions": "输注",  # a tab on screen, a count on paper (was 输注次数 on paper)
    "Status": "状态",
    "Paused": "已暂停",  # (was 暂停 on paper)
    "Stopped": "已停止",  # (was 停止 on paper)
    "ended": "已结束",
    "End": "结束",
    "Time": "时间",
    "Entry": "条目",  # (was 记录 on paper, which also stands for "record")
    "Details": "详情",
    "Reason": "原因",
    "corrected": "已更正",
    "Vital signs": "生命体征",
    "to": "至",
    # adverse events
    "Term": "术语",
    "Grade": "分级",
    "Attribution": "相关性",
    "Action taken": "采取的措施",  # (was 采取措施 on paper)
    "Outcome": "转归",
    # signatures
    "Printed name": "签名人姓名",  # the signer's name: the paper's (the screen had 签名姓名)
    "Meaning": "含义",
    "verified": "已核对",
    "administered": "已给药",
    # the course (patient page and course record)
    "Item": "项目",
    "Level": "剂量水平",
    "Sample ID": "样本编号",
    "Target": "目标日期",
    "Window": "时间窗",
    "assessment": "评估",
    "cancelled": "已取消",
    "check": "检查",
    "done": "已完成",
    "due": "待进行",
    "given": "已输注",
    "late": "超窗完成",
    "missed": "已错过",
    "not given": "未输注",
    "out of window": "窗外完成",
    "planned": "已计划",
    "sample": "样本",
    "upcoming": "即将到来",
    "visit": "访视",
    "waiting": "待定",
    "enrolled": "已入组",
    "approved": "已批准",
    "reviewed": "已审阅",
    "completed": "已完成",
    "toxicity": "毒性",
    "progression": "疾病进展",
    "withdrawal": "退出",
    "death": "死亡",
    "other": "其他",
    # --- the trial: the Trial tab and the trial's printouts (issue 17, h-zhqt) ---
    "Enrolled": "入组",
    "Treated": "已治疗",
    "Evaluable": "可评价",
    "Pending": "待定",
    "Not evaluable": "不可评价",
    "Escalate if DLTs ≤": "DLT ≤ 时递增",
    "De-escalate if DLTs ≥": "DLT ≥ 时降级",
    "Eliminate if DLTs ≥": "DLT ≥ 时剔除",
    "Signed": "签名",
    "By": "操作者",
    "Decision": "决定",
    "At level": "决定所在剂量水平",
    "Next level": "下一剂量水平",
    "Infusions planned": "计划输注次数",
    "Infusions given": "已输注次数",
    "Any AE": "任何不良事件",
    "AE grade ≥ 3": "≥3 级不良事件",
    "SAE": "严重不良事件",
    "All levels": "全部剂量水平",
    "Adverse event": "不良事件",
    "Started": "开始时间",
    "Adjudication": "判定",
    "Date": "日期",
    "Kind": "类型",
    "confirmed": "已确认",
    "rejected": "已否决",
    "pending": "待定",
    "Reason for the choice": "选择理由",
    # the vital signs' short names: the bedside's entry row and the record's table and chart
    "T °C": "体温 °C",
    "HR": "心率",
    "RR": "呼吸",
    # the patient's sex: the patient page's header and the record's patient section
    "female": "女",
    "male": "男",
    "unknown": "未知",
    # a product's status and a release criterion's result: the pharmacy and the record
    "registered": "已登记",
    "pass": "合格",
    "fail": "不合格",
}
