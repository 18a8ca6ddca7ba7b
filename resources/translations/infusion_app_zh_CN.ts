<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name />
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="842" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="850" />
      <source>Final volume (mL)</source>
      <translation>最终体积 (mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="852" />
      <source>Drop factor (gtt/mL)</source>
      <translation>滴系数 (滴/mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="854" />
      <source>Calculate &amp;dose</source>
      <translation>计算剂量(&amp;D)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="854" />
      <source>Calculate the dose</source>
      <translation>计算剂量</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="855" />
      <source>Dose calculated: a second person verifies it.</source>
      <translation>剂量已计算：请第二人核对。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="856" />
      <source>From today's weight and the product's certificate of analysis.</source>
      <translation>依据今日体重和产品检验报告。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="862" />
      <source>&amp;Verify dose</source>
      <translation>核对剂量(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="862" />
      <source>Verify the dose</source>
      <translation>核对剂量</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="863" />
      <source>Dose verified.</source>
      <translation>剂量已核对。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="875" />
      <source>&amp;Check identity</source>
      <translation>核对身份(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="875" />
      <source>Check identity</source>
      <translation>核对身份</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="876" />
      <source>Patient and bag match; product released and in date.</source>
      <translation>患者与输液袋相符；产品已放行且在有效期内。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="881" />
      <source>&amp;Premedication given</source>
      <translation>已给预处理药(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="881" />
      <source>Premedication given</source>
      <translation>已给预处理药</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="882" />
      <source>Premedication recorded.</source>
      <translation>预处理用药已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="887" />
      <source>&amp;Thawed</source>
      <translation>已复苏(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="887" />
      <source>Product thawed</source>
      <translation>产品已复苏</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="887" />
      <source>Thaw recorded.</source>
      <translation>复苏已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="895" />
      <source>Drop factor of the giving set (gtt/mL)</source>
      <translation>输液器滴系数 (滴/mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="898" />
      <source>Reason for the late start</source>
      <translation>延迟开始的原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="901" />
      <source>Reason for starting after the plan's window</source>
      <translation>超出治疗计划时间窗开始的原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="904" />
      <source>&amp;Start infusion</source>
      <translation>开始输注(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="904" />
      <source>Start the infusion</source>
      <translation>开始输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="905" />
      <source>Infusion started.</source>
      <translation>输注已开始。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="905" />
      <source>Start of the infusion</source>
      <translation>输注开始</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="914" />
      <source>New rate (gtt/min)</source>
      <translation>新滴速 (滴/分)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="916" />
      <source>&amp;Rate step</source>
      <translation>调速(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="916" />
      <source>Rate step</source>
      <translation>调速</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="916" />
      <source>Rate changed.</source>
      <translation>滴速已改变。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="918" />
      <source>Only if the patient reports no discomfort; otherwise hold the slow rate.</source>
      <translation>仅在患者无不适时调速；否则维持慢速。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="924" />
      <source>Discomfort reported</source>
      <translation>患者所述不适</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="926" />
      <source>&amp;Hold slow rate</source>
      <translation>维持慢速(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="926" />
      <source>Hold the slow rate</source>
      <translation>维持慢速</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="927" />
      <source>Slow rate held.</source>
      <translation>已维持慢速。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="944" />
      <source>Record vital signs</source>
      <translation>记录生命体征</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="944" />
      <source>Vital signs</source>
      <translation>生命体征</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="945" />
      <source>Vital signs recorded.</source>
      <translation>生命体征已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="968" />
      <source>Reactio&amp;n / AE</source>
      <translation>反应 / 不良事件(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="968" />
      <source>Reaction / adverse event</source>
      <translation>反应 / 不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="969" />
      <source>Adverse event recorded.</source>
      <translation>不良事件已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="977" />
      <source>Serious adverse event reported…</source>
      <translation>严重不良事件已报告…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="978" />
      <source>Serious adverse event reported</source>
      <translation>严重不良事件已报告</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="979" />
      <source>SAE report recorded.</source>
      <translation>SAE 报告已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="984" />
      <source>P&amp;ause</source>
      <translation>暂停(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="984" />
      <source>Pause the infusion</source>
      <translation>暂停输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="985" />
      <source>Infusion paused.</source>
      <translation>输注已暂停。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="989" />
      <source>Res&amp;ume</source>
      <translation>继续(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="989" />
      <source>Infusion resumed</source>
      <translation>输注已继续</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="990" />
      <source>Infusion resumed.</source>
      <translation>输注已继续。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="995" />
      <source>Volume given (mL)</source>
      <translation>已输入体积 (mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="998" />
      <source>St&amp;op</source>
      <translation>停止(&amp;O)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="998" />
      <source>Stop the infusion for good</source>
      <translation>永久停止输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="999" />
      <source>Infusion stopped.</source>
      <translation>输注已停止。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="999" />
      <source>Stop of the infusion</source>
      <translation>输注停止</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1000" />
      <source>Observation still follows a stop.</source>
      <translation>停止后仍需观察。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1006" />
      <source>Volume infused (mL)</source>
      <translation>输注体积 (mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1009" />
      <source>Reason (outside the time window or not the whole bag)</source>
      <translation>原因（超出时间窗或未输完整袋）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1013" />
      <source>&amp;End infusion</source>
      <translation>结束输注(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1013" />
      <source>End of the infusion</source>
      <translation>输注结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1014" />
      <source>Infusion ended: vital signs now, then observation.</source>
      <translation>输注已结束：现在测生命体征，然后观察。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1019" />
      <source>End o&amp;bservation</source>
      <translation>结束观察(&amp;B)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1019" />
      <source>Observation ended</source>
      <translation>观察已结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1020" />
      <source>Observation ended.</source>
      <translation>观察已结束。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1026" />
      <source>Note</source>
      <translation>记录内容</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1028" />
      <source>&amp;Write a note</source>
      <translation>写护理记录(&amp;W)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1028" />
      <source>Nursing note</source>
      <translation>护理记录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1029" />
      <source>Note recorded.</source>
      <translation>护理记录已保存。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1042" />
      <source>Correct the time of the selected log entry…</source>
      <translation>更正所选日志条目的时间…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1043" />
      <source>Correct an entry</source>
      <translation>更正记录条目</translation>
    </message>
    <message>
      <location filename="../../infusion_app/services/bedside.py" line="1043" />
      <source>Correction recorded.</source>
      <translation>更正已记录。</translation>
    </message>
  </context>
  <context>
    <name>AccountsPage</name>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="60" />
      <source>Accounts</source>
      <translation>账户</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="64" />
      <source>Username</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="65" />
      <source>Printed name</source>
      <translation>签名人姓名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="66" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="67" />
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="68" />
      <source>Created</source>
      <translation>创建时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="74" />
      <source>&amp;Add…</source>
      <translation>添加(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="76" />
      <source>Change &amp;role…</source>
      <translation>更改角色(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="78" />
      <source>Reset &amp;password…</source>
      <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="80" />
      <source>&amp;Lock</source>
      <translation>锁定(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="82" />
      <source>&amp;Unlock</source>
      <translation>解锁(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="84" />
      <source>&amp;Deactivate…</source>
      <translation>停用(&amp;D)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="188" />
      <source>Add an account</source>
      <translation>添加账户</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="190" />
      <source>&amp;Username</source>
      <translation>用户名(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="190" />
      <source>letters, digits, . or _</source>
      <translation>字母、数字、. 或 _</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="191" />
      <source>&amp;Printed name</source>
      <translation>签名人姓名(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="191" />
      <source>as on signatures</source>
      <translation>与签名上一致</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="193" />
      <location filename="../../infusion_app/ui/accounts_page.py" line="230" />
      <source>&amp;Role</source>
      <translation>角色(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="195" />
      <source>&amp;First password</source>
      <translation>初始密码(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="196" />
      <source>R&amp;epeat first password</source>
      <translation>再次输入初始密码(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="198" />
      <source>The user must change the first password at first login.</source>
      <translation>用户首次登录时必须更改初始密码。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="204" />
      <source>Add the account {0} ({1}, {2})</source>
      <translation>添加账户 {0}（{1}，{2}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="217" />
      <source>Added {0} ({1}): the first password must be changed at first login.</source>
      <translation>已添加 {0}（{1}）：首次登录时须更改初始密码。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="229" />
      <source>Change the role of {0}</source>
      <translation>更改 {0} 的角色</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="236" />
      <source>Change the role of {0} from {1} to {2}</source>
      <translation>将 {0} 的角色从 {1} 更改为 {2}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="242" />
      <source>{0} is now {1}.</source>
      <translation>{0} 现为 {1}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="252" />
      <location filename="../../infusion_app/ui/accounts_page.py" line="263" />
      <source>Reset the password of {0}</source>
      <translation>重置 {0} 的密码</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="254" />
      <source>&amp;New first password</source>
      <translation>新的初始密码(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="255" />
      <source>R&amp;epeat it</source>
      <translation>再次输入(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="257" />
      <source>The user must change it at next login. A lockout after failed attempts ends.</source>
      <translation>用户下次登录时必须更改。因多次失败而导致的锁定随之解除。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="267" />
      <source>Password of {0} reset: to be changed at next login.</source>
      <translation>{0} 的密码已重置：下次登录时须更改。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="276" />
      <source>Lock {0} until an administrator unlocks the account</source>
      <translation>锁定 {0}，直至管理员解锁</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="280" />
      <source>{0} is locked until unlocked.</source>
      <translation>{0} 已锁定，直至解锁。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="289" />
      <source>Unlock {0}</source>
      <translation>解锁 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="293" />
      <source>{0} is unlocked.</source>
      <translation>{0} 已解锁。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="303" />
      <source>Deactivate {0}</source>
      <translation>停用 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="304" />
      <source>&amp;Reason</source>
      <translation>原因(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="304" />
      <source>why, for the audit trail</source>
      <translation>原因，记入审计追踪</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="306" />
      <source>A deactivated account never logs in or signs again. It stays in the list and in the audit trail; it cannot be reactivated.</source>
      <translation>停用的账户不能再登录或签名。它仍保留在列表和审计追踪中，且不能重新启用。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="314" />
      <source>Deactivate {0}: {1}</source>
      <translation>停用 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="318" />
      <source>{0} is deactivated.</source>
      <translation>{0} 已停用。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="329" />
      <source>Password: the two entries differ. Nothing was saved.</source>
      <translation>密码：两次输入不一致。未保存任何内容。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/accounts_page.py" line="360" />
      <source>approved</source>
      <translation>已批准</translation>
    </message>
  </context>
  <context>
    <name>AdverseEventDialog</name>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="62" />
      <source>Reaction / adverse event (CTCAE v5.0)</source>
      <translation>反应 / 不良事件（CTCAE v5.0）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="64" />
      <source>Adverse event of patient {0} (CTCAE v5.0)</source>
      <translation>患者 {0} 的不良事件（CTCAE v5.0）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="81" />
      <source>Serious (SAE: report within 24 h)</source>
      <translation>严重（SAE：24 小时内报告）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="95" />
      <source>empty: when entered (HH:MM / YYYY-MM-DD HH:MM)</source>
      <translation>留空：即录入时间（HH:MM / YYYY-MM-DD HH:MM）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="108" />
      <source>Term</source>
      <translation>术语</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="109" />
      <source>Other term</source>
      <translation>其他术语</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="110" />
      <source>Grade</source>
      <translation>分级</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="112" />
      <source>Attribution</source>
      <translation>相关性</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="114" />
      <source>Action taken</source>
      <translation>采取的措施</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="115" />
      <source>Outcome</source>
      <translation>转归</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="116" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="118" />
      <source>Onset</source>
      <translation>发生时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="122" />
      <source>Time of the entry</source>
      <translation>发生时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="146" />
      <source>Suggested grade {0} from the highest temperature, {1} °C</source>
      <translation>按最高体温 {1} °C 建议分级 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/adverse_event_dialog.py" line="151" />
      <source>No temperature of 38.0 °C or more recorded</source>
      <translation>未记录到 38.0 °C 及以上的体温</translation>
    </message>
  </context>
  <context>
    <name>AlarmBanner</name>
    <message>
      <location filename="../../infusion_app/ui/alarm_banner.py" line="52" />
      <source>Acknowledge (F9)</source>
      <translation>确认 (F9)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/alarm_banner.py" line="71" />
      <source>HIGH</source>
      <translation>高</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/alarm_banner.py" line="72" />
      <source>MEDIUM</source>
      <translation>中</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/alarm_banner.py" line="73" />
      <source>Reminder</source>
      <translation>提醒</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/alarm_banner.py" line="77" />
      <source>+{0} more</source>
      <translation>另有 {0} 条</translation>
    </message>
  </context>
  <context>
    <name>BedsideScreen</name>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="162" />
      <source>Infusion &amp;list</source>
      <translation>输注列表(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="165" />
      <source>&amp;More</source>
      <translation>更多(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="190" />
      <source>Scan the wristband, then the bag</source>
      <translation>先扫腕带，再扫输液袋</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="342" />
      <source>{trial} · {initials} · {weight} kg (weighed {weighed}) · group {level} · infusion {number} · product {product} ({status}) · {protocol}</source>
      <translation>{trial} · {initials} · {weight} kg（称重 {weighed}）· {level} 组 · 第 {number} 次输注 · 产品 {product}（{status}）· {protocol}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="384" />
      <source>Change &amp;rate</source>
      <translation>改变滴速(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="451" />
      <source>Target {0} gtt/min</source>
      <translation>目标 {0} 滴/分</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="453" />
      <source>PAUSED</source>
      <translation>已暂停</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="456" />
      <source>ended</source>
      <translation>已结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="456" />
      <source>expected end</source>
      <translation>预计结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="460" />
      <source>plan: {0} gtt/min, then {1}, {2} mL, {3} gtt/mL set</source>
      <translation>方案：{0} 滴/分，然后 {1}，{2} mL，输液器 {3} 滴/mL</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="482" />
      <source>log in first</source>
      <translation>请先登录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="493" />
      <source>not for your role ({0})</source>
      <translation>您的角色（{0}）不能执行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="653" />
      <source>Saving…</source>
      <translation>正在保存…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="716" />
      <source>{drug} {dose} mg {route}, {minutes} min before the start</source>
      <translation>{drug} {dose} mg {route}，开始前 {minutes} 分钟</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="730" />
      <source>Product {0}, lot {1}</source>
      <translation>产品 {0}，批号 {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="731" />
      <source>Infuse within {0} min of the thaw</source>
      <translation>复苏后 {0} 分钟内输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="92" />
      <source>verified</source>
      <translation>已核对</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="780" />
      <source>{rate} gtt/min for {minutes} min ({volume} mL)</source>
      <translation>{rate} 滴/分，{minutes} 分钟（{volume} mL）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="788" />
      <source>Weight: {0} kg, measured {1}</source>
      <translation>体重：{0} kg，称重于 {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="791" />
      <source>Dose: {0} (group {1})</source>
      <translation>剂量：{0}（{1} 组）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="795" />
      <source>Concentration: {0}, viability {1} %: {2} viable</source>
      <translation>浓度：{0}，活率 {1} %：活细胞 {2}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="800" />
      <source>Target {0}; delivered {1} (deviation {2} %)</source>
      <translation>目标 {0}；实际输注 {1}（偏差 {2} %）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="805" />
      <source>Product volume: {0} mL; final volume: {1} mL (diluent {2} mL)</source>
      <translation>产品体积：{0} mL；最终体积：{1} mL（稀释液 {2} mL）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="810" />
      <source>Drip plan, {0} gtt/mL set: {1}; expected {2} min</source>
      <translation>滴速方案，输液器 {0} 滴/mL：{1}；预计 {2} 分钟</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="812" />
      <source>, then </source>
      <translation>，然后 </translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="833" />
      <source>wristband {0}</source>
      <translation>腕带 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="835" />
      <source>wristband not scanned</source>
      <translation>腕带未扫描</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="836" />
      <source>bag {0}</source>
      <translation>输液袋 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="838" />
      <source>bag not scanned</source>
      <translation>输液袋未扫描</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="846" />
      <source>Scan the patient's wristband and the bag first.</source>
      <translation>请先扫描患者腕带和输液袋。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="93" />
      <source>administered</source>
      <translation>已给药</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="911" />
      <source>Select the entry to correct in the log first.</source>
      <translation>请先在日志中选择要更正的条目。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="916" />
      <source>Correct entry #{0} ({1})</source>
      <translation>更正条目 #{0}（{1}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="918" />
      <source>Correct time (HH:MM)</source>
      <translation>正确时间 (HH:MM)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="919" />
      <source>Reason for the correction</source>
      <translation>更正原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="921" />
      <source>The original entry stays in the record beside the correction.</source>
      <translation>原条目保留在记录中，与更正并列。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="927" />
      <source>Correction of entry #{0}</source>
      <translation>更正条目 #{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="94" />
      <source>corrected</source>
      <translation>已更正</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="949" />
      <source>No serious adverse event is waiting to be reported.</source>
      <translation>没有待报告的严重不良事件。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="954" />
      <source>Serious adverse event reported</source>
      <translation>严重不良事件已报告</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="956" />
      <source>Event</source>
      <translation>事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="978" />
      <source>Alarm acknowledged.</source>
      <translation>报警已确认。</translation>
    </message>
  </context>
  <context>
    <name>CalendarItemDialog</name>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="49" />
      <source>Done at (HH:MM today, or date and time)</source>
      <translation>完成时间（今天 HH:MM，或日期和时间）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="54" />
      <source>Note</source>
      <translation>记录内容</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="60" />
      <source>Sample ID (tube label)</source>
      <translation>样本编号（试管标签）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="66" />
      <source>Reason (late, or entered afterwards)</source>
      <translation>原因（逾期，或事后补录）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="69" />
      <source>required: window closed</source>
      <translation>必填：时间窗已关闭</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="74" />
      <source>Record: {0}</source>
      <translation>记录：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/calendar_dialog.py" line="77" />
      <source>Patient {0} · {1}</source>
      <translation>患者 {0} · {1}</translation>
    </message>
  </context>
  <context>
    <name>ConfirmDialog</name>
    <message>
      <location filename="../../infusion_app/ui/confirm_dialog.py" line="46" />
      <source>This will be recorded:</source>
      <translation>将记录：</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/confirm_dialog.py" line="62" />
      <source>&amp;Record</source>
      <translation>记录(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/confirm_dialog.py" line="77" />
      <source>Time of the entry</source>
      <translation>发生时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/confirm_dialog.py" line="99" />
      <source>Time: {0} as entered (a back-entry)</source>
      <translation>时间：{0}（按所填，补录）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/confirm_dialog.py" line="102" />
      <source>Time: {0} (now, when you confirm)</source>
      <translation>时间：{0}（现在，以确认时为准）</translation>
    </message>
  </context>
  <context>
    <name>Countdown</name>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="106" />
      <source>Start allowed in</source>
      <translation>距可开始</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="107" />
      <source>Start allowed</source>
      <translation>可以开始</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="108" />
      <source>Plan window opens in</source>
      <translation>距计划时间窗开放</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="109" />
      <source>Plan window open</source>
      <translation>计划时间窗已开放</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="110" />
      <source>Rate step in</source>
      <translation>距调速</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="111" />
      <source>Rate step due</source>
      <translation>应调速</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="112" />
      <source>Vitals due in</source>
      <translation>距测生命体征</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="113" />
      <source>Vitals due</source>
      <translation>应测生命体征</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="114" />
      <source>Expected end in</source>
      <translation>距预计结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="115" />
      <source>Expected end reached</source>
      <translation>已到预计结束时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="116" />
      <source>Observation ends in</source>
      <translation>距观察结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="117" />
      <source>Observation complete</source>
      <translation>观察完成</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="118" />
      <source>Post-thaw limit in</source>
      <translation>距复苏后时限</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="119" />
      <source>Post-thaw limit passed</source>
      <translation>已超过复苏后时限</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="120" />
      <source>SAE report due in</source>
      <translation>距 SAE 报告截止</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="121" />
      <source>SAE report overdue</source>
      <translation>SAE 报告已逾期</translation>
    </message>
  </context>
  <context>
    <name>Course</name>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="45" />
      <source>planned</source>
      <translation>已计划</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="46" />
      <source>due</source>
      <translation>待进行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="47" />
      <source>given</source>
      <translation>已输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="48" />
      <source>missed</source>
      <translation>已错过</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="49" />
      <source>not given</source>
      <translation>未输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="50" />
      <source>waiting</source>
      <translation>待定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="51" />
      <source>upcoming</source>
      <translation>即将到来</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="52" />
      <source>done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="53" />
      <source>late</source>
      <translation>超窗完成</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="54" />
      <source>out of window</source>
      <translation>窗外完成</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="55" />
      <source>cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="56" />
      <source>visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="57" />
      <source>check</source>
      <translation>检查</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="58" />
      <source>sample</source>
      <translation>样本</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="59" />
      <source>assessment</source>
      <translation>评估</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="60" />
      <source>not serious</source>
      <translation>非严重</translation>
    </message>
  </context>
  <context>
    <name>DoseCalculator</name>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="31" />
      <source>Dose calculator</source>
      <translation>剂量计算器</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="41" />
      <source>Protocol</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="43" />
      <source>Dose level</source>
      <translation>剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="47" />
      <source>Weight (kg)</source>
      <translation>体重 (kg)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="48" />
      <source>Concentration (cells/mL)</source>
      <translation>浓度 (细胞/mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="49" />
      <source>Viability (%)</source>
      <translation>活率 (%)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="50" />
      <source>Product volume in the bag (mL)</source>
      <translation>袋内产品体积 (mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="51" />
      <source>Drop factor (gtt/mL)</source>
      <translation>滴系数 (滴/mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="52" />
      <source>Final volume (mL)</source>
      <translation>最终体积 (mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="110" />
      <source>Enter weight, concentration and viability.</source>
      <translation>请输入体重、浓度和活率。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="129" />
      <source>Target: {0} ({1}/kg × {2} kg)</source>
      <translation>目标：{0}（{1}/kg × {2} kg）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="134" />
      <source>Product volume: {0} mL</source>
      <translation>产品体积：{0} mL</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="135" />
      <source>Delivered: {0}</source>
      <translation>实际给予：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="136" />
      <source>Deviation: {0:+.2f} % (tolerance ±{1} %)</source>
      <translation>偏差：{0:+.2f} %（允许 ±{1} %）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="139" />
      <source>Final volume: {0} mL (diluent {1} mL)</source>
      <translation>最终体积：{0} mL（稀释液 {1} mL）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="145" />
      <source>Phase {0}: {1} gtt/min for {2:.1f} min ({3} mL)</source>
      <translation>第 {0} 阶段：{1} 滴/分，{2:.1f} 分钟（{3} mL）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/dose_calculator.py" line="149" />
      <source>Expected duration: {0:.1f} min</source>
      <translation>预计时长：{0:.1f} 分钟</translation>
    </message>
  </context>
  <context>
    <name>DropCounter</name>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="43" />
      <source>15 s</source>
      <translation>15 秒</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="44" />
      <source>60 s</source>
      <translation>60 秒</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="50" />
      <source>Drop (Space)</source>
      <translation>一滴（空格）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="56" />
      <source>Reset</source>
      <translation>重置</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="121" />
      <source>target {0} gtt/min</source>
      <translation>目标 {0} 滴/分</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="123" />
      <source>no target rate now</source>
      <translation>当前无目标滴速</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="126" />
      <source>Measured {0:.0f} gtt/min ({1} drops in {2} s), {3}</source>
      <translation>实测 {0:.0f} 滴/分（{2} 秒 {1} 滴），{3}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="132" />
      <source>on target</source>
      <translation>符合目标</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="134" />
      <source>{0:+.0f} gtt/min: adjust the roller clamp</source>
      <translation>{0:+.0f} 滴/分：请调节滚轮夹</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="138" />
      <source>Counting: {0} drops, {1:.0f} s left</source>
      <translation>计数中：{0} 滴，剩余 {1:.0f} 秒</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/drop_counter.py" line="141" />
      <source>Tap for each drop; the {0} s count starts at the first drop ({1})</source>
      <translation>每滴点一下；{0} 秒计数从第一滴开始（{1}）</translation>
    </message>
  </context>
  <context>
    <name>EntryTime</name>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="82" />
      <source>Left as offered: now, when saved. Changed: a back-entry, which asks why.</source>
      <translation>保留默认：即保存时的当前时间。更改后为补录，将询问原因。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="137" />
      <source>Entered late</source>
      <translation>补录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="138" />
      <source>Why is it entered late?</source>
      <translation>为何补录？</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="139" />
      <source>Done at {0}, recorded now: the record says why.</source>
      <translation>实际于 {0} 完成，现在记录：记录中须说明原因。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="147" />
      <source>Time (as offered: now)</source>
      <translation>时间（默认：当前）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="154" />
      <source>time: now</source>
      <translation>时间：当前</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/entry_time.py" line="156" />
      <source>Empty: now. A time (HH:MM or YYYY-MM-DD HH:MM): a back-entry, which asks why.</source>
      <translation>留空：当前时间。填写时间（HH:MM 或 YYYY-MM-DD HH:MM）：补录，将询问原因。</translation>
    </message>
  </context>
  <context>
    <name>EventLogTable</name>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="28" />
      <source>#</source>
      <translation>#</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="29" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="30" />
      <source>Recorded (back-entry)</source>
      <translation>录入时间（补录）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="31" />
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="32" />
      <source>Entry</source>
      <translation>条目</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="33" />
      <source>Details</source>
      <translation>详情</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="34" />
      <source>Signed / corrected</source>
      <translation>签名 / 更正</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="55" />
      <source>signed {0}</source>
      <translation>签名：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/event_log_table.py" line="56" />
      <source>corrected by {0}</source>
      <translation>更正：{0}</translation>
    </message>
  </context>
  <context>
    <name>FormDialog</name>
    <message>
      <location filename="../../infusion_app/ui/form_dialog.py" line="99" />
      <source>Time: {0} (now, when you confirm)</source>
      <translation>时间：{0}（现在，以确认时为准）</translation>
    </message>
  </context>
  <context>
    <name>InvestigatorActs</name>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="41" />
      <source>enrolled</source>
      <translation>已入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="42" />
      <source>approved</source>
      <translation>已批准</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="43" />
      <source>ended</source>
      <translation>已结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="44" />
      <source>reviewed</source>
      <translation>已审阅</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="47" />
      <source>completed</source>
      <translation>已完成</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="48" />
      <source>toxicity</source>
      <translation>毒性</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="49" />
      <source>progression</source>
      <translation>疾病进展</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="50" />
      <source>withdrawal</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="51" />
      <source>death</source>
      <translation>死亡</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="52" />
      <source>other</source>
      <translation>其他</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="104" />
      <source>&amp;Enrol…</source>
      <translation>入组(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="107" />
      <source>Change &amp;level…</source>
      <translation>变更剂量水平(&amp;L)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="110" />
      <source>End &amp;treatment…</source>
      <translation>结束治疗(&amp;T)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="113" />
      <source>&amp;Review DLT…</source>
      <translation>审核 DLT(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="126" />
      <source>choose a patient first</source>
      <translation>请先选择患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="128" />
      <source>enrolled already</source>
      <translation>已入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="130" />
      <source>not enrolled yet</source>
      <translation>尚未入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="132" />
      <source>treatment has ended</source>
      <translation>治疗已结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="144" />
      <source>select a flagged adverse event first</source>
      <translation>请先选择一条已标记的不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="146" />
      <source>this adverse event is not flagged as a DLT</source>
      <translation>此不良事件未被标记为 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="148" />
      <source>reviewed already</source>
      <translation>已审阅</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="166" />
      <source>Enrol patient {0}</source>
      <translation>患者 {0} 入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="170" />
      <source>Dose level</source>
      <translation>剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="176" />
      <source>The first infusion is due from the enrolment; a patient is enrolled once.</source>
      <translation>入组后即可进行第一次输注；每位患者只入组一次。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="211" />
      <source>Enrol against the dose-finding rule?</source>
      <translation>违反剂量探索规则入组？</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="213" />
      <source>Reason for the deviation</source>
      <translation>偏离原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="214" />
      <source>Second investigator (user name)</source>
      <translation>第二研究者（用户名）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="217" />
      <source>The rule refuses: {0}. An enrolment against it is listed as a deviation and needs a second investigator's signature.</source>
      <translation>规则拒绝：{0}。违反规则的入组将列为方案偏离，并需第二研究者签名。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="226" />
      <source>{0}, a deviation: {1}</source>
      <translation>{0}，方案偏离：{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="234" />
      <source>Approval of the deviation: {0} ({1})</source>
      <translation>批准方案偏离：{0}（{1}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="250" />
      <source>Patient {0} enrolled at {1} as a deviation, approved by {2}.</source>
      <translation>患者 {0} 已按方案偏离入组于剂量水平 {1}，由 {2} 批准。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="370" />
      <source>Review the DLT flag of adverse event #{0} ({1})</source>
      <translation>审核不良事件 #{0}（{1}）的 DLT 标记</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="383" />
      <source>DLT review of adverse event #{0} ({1}), {2}: {3} ({4})</source>
      <translation>不良事件 #{0}（{1}）的 DLT 审核，{2}：{3}（{4}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="397" />
      <source>Adverse event #{0} ({1}) reviewed: {2}.</source>
      <translation>不良事件 #{0}（{1}）已审核：{2}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="410" />
      <source>Time ({0})</source>
      <translation>时间（{0}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="184" />
      <source>Enrolment of patient {0} in {1} at dose level {2}{3}</source>
      <translation>患者 {0} 入组 {1}，剂量水平 {2}{3}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="199" />
      <source>Patient {0} enrolled at {1}.</source>
      <translation>患者 {0} 已入组，剂量水平 {1}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="264" />
      <source>Change the dose level of patient {0}</source>
      <translation>变更患者 {0} 的剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="268" />
      <source>New dose level</source>
      <translation>新剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="272" />
      <source>From infusion</source>
      <translation>自第几次输注起</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="273" />
      <source>Reason for the change</source>
      <translation>变更原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="277" />
      <source>Now at {0}. An infusion that exists already keeps its level (up to infusion {1}).</source>
      <translation>当前为 {0}。已建立的输注保持原剂量水平（至第 {1} 次输注）。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="280" />
      <source>Now at {0}.</source>
      <translation>当前为 {0}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="294" />
      <source>Dose level of patient {0} from infusion {1} on: {2} to {3} ({4}){5}</source>
      <translation>患者 {0} 自第 {1} 次输注起的剂量水平：{2} 改为 {3}（{4}）{5}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="314" />
      <source>Patient {0}: infusions from {1} on at {2}.</source>
      <translation>患者 {0}：自第 {1} 次输注起为 {2}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="325" />
      <source>End the treatment of patient {0}</source>
      <translation>结束患者 {0} 的治疗</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="327" />
      <location filename="../../infusion_app/ui/investigator_acts.py" line="373" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="328" />
      <source>Details</source>
      <translation>详情</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="328" />
      <source>required for 'other'</source>
      <translation>选择“其他”时必填</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="331" />
      <source>No more infusions; after death or withdrawal no more visits either.</source>
      <translation>不再输注；死亡或退出后也不再访视。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="341" />
      <source>End of treatment of patient {0}: {1}{2}{3}</source>
      <translation>患者 {0} 结束治疗：{1}{2}{3}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="355" />
      <source>Treatment of patient {0} ended ({1}).</source>
      <translation>患者 {0} 的治疗已结束（{1}）。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="364" />
      <source>confirmed: a DLT</source>
      <translation>确认：属于 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="364" />
      <source>rejected: not a DLT</source>
      <translation>否决：不属于 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="366" />
      <source>{0} grade {1}, started {2}</source>
      <translation>{0} {1} 级，开始于 {2}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="372" />
      <source>Verdict</source>
      <translation>结论</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="375" />
      <source>Flagged by the rules: {0}. Whether it counts as a DLT is your call.</source>
      <translation>按规则标记：{0}。是否计为 DLT 由您判断。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/investigator_acts.py" line="428" />
      <source>, done at {0}{1}</source>
      <translation>，完成于 {0}{1}</translation>
    </message>
  </context>
  <context>
    <name>LoginScreen</name>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="72" />
      <source>Username</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="73" />
      <source>Printed name</source>
      <translation>签名人姓名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="74" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="75" />
      <source>Repeat password</source>
      <translation>再次输入密码</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="94" />
      <source>Create the administrator</source>
      <translation>创建管理员</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="94" />
      <location filename="../../infusion_app/ui/login_screen.py" line="106" />
      <source>Log in</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="97" />
      <source>This station has no accounts yet. The first account administers the others and signs no clinical act.</source>
      <translation>本工作站还没有账户。第一个账户负责管理其他账户，不签署任何临床操作。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="106" />
      <source>Create administrator</source>
      <translation>创建管理员</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="111" />
      <location filename="../../infusion_app/ui/login_screen.py" line="119" />
      <source>Opening the record…</source>
      <translation>正在打开记录…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="130" />
      <source>password: the two entries differ</source>
      <translation>密码：两次输入不一致</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="138" />
      <source>Checking…</source>
      <translation>正在核对…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/login_screen.py" line="151" />
      <source>Your password must be changed before you can continue.</source>
      <translation>您必须先更改密码才能继续。</translation>
    </message>
  </context>
  <context>
    <name>Look</name>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="43" />
      <source>Internal error ({0}): details in the log file {1}. Nothing was saved.</source>
      <translation>内部错误（{0}）：详情见日志文件 {1}。未保存任何内容。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="134" />
      <source>registered</source>
      <translation>已登记</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="135" />
      <source>released</source>
      <translation>已放行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="136" />
      <source>dispensed</source>
      <translation>已发放</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="137" />
      <source>in use</source>
      <translation>使用中</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="138" />
      <source>administered</source>
      <translation>已给药</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="139" />
      <source>returned</source>
      <translation>已退回</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="140" />
      <source>discarded</source>
      <translation>已销毁</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="143" />
      <source>RELEASABLE</source>
      <translation>可放行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="144" />
      <source>NOT_RELEASABLE</source>
      <translation>不可放行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="145" />
      <source>INCOMPLETE</source>
      <translation>结果不全</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="148" />
      <source>pass</source>
      <translation>合格</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="149" />
      <source>fail</source>
      <translation>不合格</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/look.py" line="150" />
      <source>pending</source>
      <translation>待定</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="332" />
      <source>Reading the protocol files…</source>
      <translation>正在读取方案文件…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="192" />
      <source>Times: {0}</source>
      <translation>时间：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="233" />
      <source>database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="236" />
      <source>MSC Infusion Assistant</source>
      <translation>MSC 输注助手</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="260" />
      <source>High alarm: {0}</source>
      <translation>高级警报：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="311" />
      <source>{name} · {role} · station {station}</source>
      <translation>{name} · {role} · 工作站 {station}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="341" />
      <source>Pharmacy</source>
      <translation>药房</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="347" />
      <source>Infusions</source>
      <translation>输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="352" />
      <source>Bedside</source>
      <translation>床旁</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="356" />
      <source>Monitor</source>
      <translation>监查</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="368" />
      <source>Patient course</source>
      <translation>患者疗程</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="372" />
      <source>Trial</source>
      <translation>试验</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="375" />
      <source>Protocols</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="379" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="408" />
      <source>HIGH</source>
      <translation>高</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="409" />
      <source>MEDIUM</source>
      <translation>中</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="410" />
      <source>Reminder</source>
      <translation>提醒</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="412" />
      <source> (+{0} more)</source>
      <translation>（另有 {0} 条）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="415" />
      <source>{0}: {1} · {2}{3}</source>
      <translation>{0}：{1} · {2}{3}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="538" />
      <source>Locked after {0} min without use. Log in to continue.</source>
      <translation>{0} 分钟未操作已锁定。请登录以继续。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="360" />
      <source>Ward</source>
      <translation>病区</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="180" />
      <source>Lo&amp;g out</source>
      <translation>退出登录(&amp;G)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="364" />
      <source>Accounts</source>
      <translation>账户</translation>
    </message>
  </context>
  <context>
    <name>MonitorPage</name>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="67" />
      <source>Monitor: infusion records (read-only)</source>
      <translation>监查：输注记录（只读）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="71" />
      <source>Trial ID (empty: all patients)</source>
      <translation>受试者编号（留空：全部患者）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="80" />
      <source>&amp;Search</source>
      <translation>搜索(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="85" />
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="86" />
      <source>Infusion</source>
      <translation>输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="87" />
      <source>Product</source>
      <translation>产品</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="88" />
      <source>Station</source>
      <translation>工作站</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="89" />
      <source>Created</source>
      <translation>创建时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="90" />
      <source>Step</source>
      <translation>步骤</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="91" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="100" />
      <source>&amp;Print record…</source>
      <translation>打印记录(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="103" />
      <source>E&amp;xport…</source>
      <translation>导出(&amp;X)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="107" />
      <source>Events of this infusion (CSV)…</source>
      <translation>本次输注的事件（CSV）…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="108" />
      <source>This infusion as FHIR R4 bundle (JSON)…</source>
      <translation>本次输注的 FHIR R4 资源包（JSON）…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="109" />
      <source>Infusion log of the search (PDF)…</source>
      <translation>检索结果的输注日志（PDF）…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="110" />
      <source>Infusion log of the search (CSV)…</source>
      <translation>检索结果的输注日志（CSV）…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="120" />
      <source>From</source>
      <translation>从</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="122" />
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="152" />
      <source>Your role may not print or export records.</source>
      <translation>您的角色无权打印或导出记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="162" />
      <source>Making the record…</source>
      <translation>正在生成记录…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="170" />
      <source>Record ready: {0} bytes.</source>
      <translation>记录已生成：{0} 字节。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outputs.py" line="42" />
      <source>Saved to {0}.</source>
      <translation>已保存到 {0}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outputs.py" line="45" />
      <source>Printing recorded in the log.</source>
      <translation>打印已记入日志。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="276" />
      <source>No infusions in this range.</source>
      <translation>此范围内没有输注。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="299" />
      <source>Log verified: {0} entries, chain intact, head {1}</source>
      <translation>日志已验证：{0} 条，链完整，头哈希 {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/monitor_page.py" line="307" />
      <source>LOG DOES NOT VERIFY: {0}</source>
      <translation>日志验证失败：{0}</translation>
    </message>
  </context>
  <context>
    <name>OutcomesSection</name>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="72" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="150" />
      <source>Drawn</source>
      <translation>采血时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="73" />
      <source>Hb (g/L)</source>
      <translation>血红蛋白 (g/L)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="74" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="134" />
      <source>ANC</source>
      <translation>中性粒细胞</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="75" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="135" />
      <source>PLT</source>
      <translation>血小板</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="76" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="136" />
      <source>WBC</source>
      <translation>白细胞</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="77" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="137" />
      <source>LYM</source>
      <translation>淋巴细胞</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="78" />
      <source>From</source>
      <translation>从</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="109" />
      <source>Import counts…</source>
      <translation>导入血常规…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="110" />
      <source>Transfusion…</source>
      <translation>输血…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="112" />
      <source>Last contact…</source>
      <translation>末次联系…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="116" />
      <source>Tumour assessment…</source>
      <translation>肿瘤评估…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="119" />
      <source>Progression…</source>
      <translation>疾病进展…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="121" />
      <source>Death…</source>
      <translation>死亡…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="129" />
      <source>Blood count:</source>
      <translation>血常规：</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="133" />
      <source>Hb g/L</source>
      <translation>血红蛋白 g/L</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="152" />
      <source>HH:MM or YYYY-MM-DD HH:MM</source>
      <translation>HH:MM 或 YYYY-MM-DD HH:MM</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="155" />
      <source>Record count</source>
      <translation>记录血常规</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="175" />
      <source>not enrolled yet</source>
      <translation>尚未入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="190" />
      <source>typed</source>
      <translation>手工录入</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="198" />
      <source>no response</source>
      <translation>未缓解</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="202" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="324" />
      <source>red cells</source>
      <translation>红细胞</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="202" />
      <location filename="../../infusion_app/ui/outcomes_section.py" line="324" />
      <source>platelets</source>
      <translation>血小板</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="205" />
      <source>Transfusion: {0} × {1} at {2}</source>
      <translation>输血：{0} × {1}，于 {2}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="214" />
      <source>week {0} ({1}): {2}, best {3}</source>
      <translation>第 {0} 周（{1}）：{2}，最佳 {3}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="222" />
      <source> (provisional)</source>
      <translation>（暂定）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="223" />
      <source>Haematological response{0}: {1}</source>
      <translation>血液学缓解{0}：{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="228" />
      <source>Time to response: {0}</source>
      <translation>至缓解时间：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="233" />
      <source>Tumour assessments: {0}; best {1}</source>
      <translation>肿瘤评估：{0}；最佳 {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="235" />
      <source>Progression: {0}</source>
      <translation>疾病进展：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="238" />
      <source>Death: {0} ({1})</source>
      <translation>死亡：{0}（{1}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="240" />
      <source>PFS</source>
      <translation>无进展生存期</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="240" />
      <source>OS</source>
      <translation>总生存期</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="242" />
      <source>event</source>
      <translation>事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="242" />
      <source>censored</source>
      <translation>删失</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="244" />
      <source>{0}: {1} day ({2})</source>
      <translation>{0}：{1} 天（{2}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="246" />
      <source>{0}: {1} days ({2})</source>
      <translation>{0}：{1} 天（{2}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="289" />
      <source>Blood count of {0} recorded.</source>
      <translation>{0} 的血常规已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="302" />
      <source>Import blood counts (CSV)</source>
      <translation>导入血常规 (CSV)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="302" />
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="315" />
      <source>{0} blood counts recorded from {1}.</source>
      <translation>已从 {1} 记录 {0} 次血常规。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="328" />
      <source>Transfusion for {0}</source>
      <translation>{0} 的输血</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="330" />
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="331" />
      <source>Units</source>
      <translation>单位数</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="332" />
      <source>Given at</source>
      <translation>输注时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="334" />
      <source>A transfusion voids the haematological response around it.</source>
      <translation>输血会使其前后的血液学缓解评估无效。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="354" />
      <source>Transfusion recorded.</source>
      <translation>输血已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="365" />
      <source>Last contact with {0}</source>
      <translation>与 {0} 的末次联系</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="366" />
      <source>Tumour assessment of {0}</source>
      <translation>{0} 的肿瘤评估</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="367" />
      <source>Progression of {0}</source>
      <translation>{0} 的疾病进展</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="368" />
      <source>Death of {0}</source>
      <translation>{0} 的死亡</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="370" />
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="374" />
      <source>Overall response (RECIST 1.1)</source>
      <translation>总体疗效（RECIST 1.1）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="377" />
      <source>Cause</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="390" />
      <source>Last contact recorded.</source>
      <translation>末次联系已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="416" />
      <source>Recorded and signed.</source>
      <translation>已记录并签名。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/outcomes_section.py" line="426" />
      <source>assessed</source>
      <translation>已评估</translation>
    </message>
  </context>
  <context>
    <name>PasswordChangeDialog</name>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="36" />
      <source>Change your password</source>
      <translation>更改您的密码</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="40" />
      <source>The password of {0} was set by an administrator. Choose your own before you continue: nobody else may know it.</source>
      <translation>{0} 的密码由管理员设置。继续之前请设置您自己的密码：不得让他人知道。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="49" />
      <source>&amp;Current password</source>
      <translation>当前密码(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="50" />
      <source>&amp;New password</source>
      <translation>新密码(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="51" />
      <source>&amp;Repeat new password</source>
      <translation>再次输入新密码(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="59" />
      <source>Change password</source>
      <translation>更改密码</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="83" />
      <source>new password: the two entries differ</source>
      <translation>新密码：两次输入不一致</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/password_change_dialog.py" line="88" />
      <source>Checking and saving…</source>
      <translation>正在检查并保存…</translation>
    </message>
  </context>
  <context>
    <name>PatientAeActs</name>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="84" />
      <source>Adverse eve&amp;nt…</source>
      <translation>不良事件(&amp;N)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="85" />
      <source>SAE rep&amp;orted…</source>
      <translation>SAE 已报告(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="92" />
      <source>choose a patient first</source>
      <translation>请先选择患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="94" />
      <source>not enrolled yet</source>
      <translation>尚未入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="100" />
      <source>no serious adverse event is waiting to be reported</source>
      <translation>没有待报告的严重不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="131" />
      <source>Adverse event #{0} of patient {1} recorded.</source>
      <translation>患者 {1} 的不良事件 #{0} 已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="134" />
      <source>Flagged as a possible DLT.</source>
      <translation>已标记为可能的 DLT。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="137" />
      <source>SAE report due by {0}.</source>
      <translation>SAE 报告截止 {0}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="157" />
      <source>Serious adverse event of patient {0} reported</source>
      <translation>患者 {0} 的严重不良事件已报告</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="159" />
      <source>Adverse event</source>
      <translation>不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="160" />
      <source>Time ({0})</source>
      <translation>时间（{0}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="163" />
      <source>Record it once the report has gone to the sponsor and the ethics committee: its 24-hour countdown ends.</source>
      <translation>报告已提交申办方和伦理委员会后记录：其 24 小时倒计时随即结束。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="178" />
      <source>Read the course again (F5) and try once more.</source>
      <translation>请重新读取病程（F5）后再试一次。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="193" />
      <source>SAE report of adverse event #{0} ({1}) recorded.</source>
      <translation>不良事件 #{0}（{1}）的 SAE 报告已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_ae_acts.py" line="202" />
      <source>#{0} ({1}) {2} grade {3}, report due by {4}</source>
      <translation>#{0}（{1}）{2} {3} 级，报告截止 {4}</translation>
    </message>
  </context>
  <context>
    <name>PatientPage</name>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="97" />
      <source>Patient course</source>
      <translation>患者疗程</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="106" />
      <source>Trial ID</source>
      <translation>受试者编号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="109" />
      <source>&amp;Patient:</source>
      <translation>患者(&amp;P)：</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="111" />
      <source>&amp;Show</source>
      <translation>显示(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="114" />
      <source>Refresh (F5)</source>
      <translation>刷新 (F5)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="130" />
      <source>Infusion</source>
      <translation>输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="131" />
      <source>Level</source>
      <translation>剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="132" />
      <source>Target</source>
      <translation>目标日期</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="133" />
      <location filename="../../infusion_app/ui/patient_page.py" line="144" />
      <source>Window</source>
      <translation>时间窗</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="134" />
      <location filename="../../infusion_app/ui/patient_page.py" line="145" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="136" />
      <source>Remark</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="142" />
      <source>Item</source>
      <translation>项目</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="146" />
      <source>Done</source>
      <translation>完成</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="135" />
      <location filename="../../infusion_app/ui/patient_page.py" line="154" />
      <source>Started at</source>
      <translation>开始于</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="75" />
      <source>female</source>
      <translation>女</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="76" />
      <source>male</source>
      <translation>男</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="77" />
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="143" />
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="147" />
      <source>Done by</source>
      <translation>完成人</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="148" />
      <source>Sample ID</source>
      <translation>样本编号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="155" />
      <source>Term</source>
      <translation>术语</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="156" />
      <source>Grade</source>
      <translation>分级</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="157" />
      <source>Recorded on</source>
      <translation>记录于</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="158" />
      <source>Attribution</source>
      <translation>相关性</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="159" />
      <source>DLT</source>
      <translation>DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="160" />
      <source>SAE report</source>
      <translation>SAE 报告</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="161" />
      <source>Review</source>
      <translation>审核</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="167" />
      <source>Weight (kg)</source>
      <translation>体重 (kg)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="167" />
      <source>Measured</source>
      <translation>测量时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="167" />
      <source>Recorded by</source>
      <translation>记录人</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="172" />
      <source>Pl&amp;an</source>
      <translation>治疗计划(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="173" />
      <source>&amp;Calendar</source>
      <translation>访视日程(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="174" />
      <source>A&amp;dverse events</source>
      <translation>不良事件(&amp;D)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="175" />
      <source>&amp;Weights</source>
      <translation>体重(&amp;W)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="179" />
      <source>O&amp;utcomes</source>
      <translation>疗效与生存(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="274" />
      <source>Reading the course of {0}…</source>
      <translation>正在读取 {0} 的疗程…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="322" />
      <source>from {0}</source>
      <translation>自 {0} 起</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="322" />
      <source>{0} to {1}</source>
      <translation>{0} 至 {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="325" />
      <source>, {0} years</source>
      <translation>，{0} 岁</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="327" />
      <source>{0} ({1}, {2}{3}) · {4} · times in {5}</source>
      <translation>{0}（{1}，{2}{3}）· {4} · 时间为 {5}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="336" />
      <source>Level {0}: {1}</source>
      <translation>剂量组 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="352" />
      <source>No infusion is planned next.</source>
      <translation>之后没有计划的输注。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="355" />
      <source>Next: {0}, {1}</source>
      <translation>下一次：{0}，{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="356" />
      <source>Next: {0}, target {1}, window {2} ({3})</source>
      <translation>下一次：{0}，目标日期 {1}，时间窗 {2}（{3}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/patient_page.py" line="413" />
      <source>flagged</source>
      <translation>已标记</translation>
    </message>
  </context>
  <context>
    <name>PharmacyPage</name>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="81" />
      <source>Pharmacy: release and dose</source>
      <translation>药房：放行与剂量</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="85" />
      <source>Product</source>
      <translation>产品</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="86" />
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="299" />
      <source>Lot</source>
      <translation>批号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="87" />
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="88" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="89" />
      <source>Verdict now</source>
      <translation>当前结论</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="96" />
      <source>Criterion</source>
      <translation>标准</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="97" />
      <source>Value</source>
      <translation>结果值</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="98" />
      <source>Limit</source>
      <translation>限度</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="99" />
      <source>Result</source>
      <translation>判定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="100" />
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="109" />
      <source>&amp;Enter CoA…</source>
      <translation>录入检验报告(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="111" />
      <source>&amp;Import CoA file…</source>
      <translation>导入检验报告文件(&amp;I)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="113" />
      <source>&amp;Release…</source>
      <translation>放行(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="115" />
      <source>&amp;Dispense…</source>
      <translation>发放(&amp;D)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="211" />
      <source>No product selected.</source>
      <translation>未选择产品。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="247" />
      <source>already {0}</source>
      <translation>已{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="253" />
      <source>{0}: every criterion must pass</source>
      <translation>{0}：所有标准都必须通过</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="249" />
      <source>only a released product is dispensed (this one is {0})</source>
      <translation>只有已放行的产品才能发放（此产品为 {0}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="239" />
      <source>site default</source>
      <translation>本中心默认</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="257" />
      <source>{0} now ({1}): a product is dispensed only while every criterion passes</source>
      <translation>当前为 {0}（{1}）：只有所有标准仍然通过的产品才能发放</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="295" />
      <source>Certificate of analysis</source>
      <translation>检验报告</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="297" />
      <source>Product ID</source>
      <translation>产品编号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="298" />
      <source>Patient trial ID</source>
      <translation>受试者编号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="300" />
      <source>Total cells per mL</source>
      <translation>每 mL 总细胞数</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="301" />
      <source>Volume (mL)</source>
      <translation>体积 (mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="302" />
      <source>Viability (%)</source>
      <translation>活率 (%)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="302" />
      <source>empty = pending</source>
      <translation>留空 = 待定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="303" />
      <source>Sterility</source>
      <translation>无菌</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="304" />
      <source>Mycoplasma</source>
      <translation>支原体</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="305" />
      <source>Endotoxin (EU/mL)</source>
      <translation>内毒素 (EU/mL)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="308" />
      <source>Tumorigenicity</source>
      <translation>致瘤性</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="312" />
      <source>Markers (%)</source>
      <translation>表面标志 (%)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="313" />
      <source>Expires (YYYY-MM-DD HH:MM, station time)</source>
      <translation>有效期至（YYYY-MM-DD HH:MM，工作站时间）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="345" />
      <source>Import a CoA (JSON)</source>
      <translation>导入检验报告 (JSON)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="345" />
      <source>CoA files (*.json)</source>
      <translation>检验报告文件 (*.json)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="364" />
      <source>Product {0} registered.</source>
      <translation>产品 {0} 已登记。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="372" />
      <source>released</source>
      <translation>已放行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="372" />
      <source>dispensed</source>
      <translation>已发放</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="374" />
      <source>Release of product {0}: every criterion passed</source>
      <translation>放行产品 {0}：所有标准均通过</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="376" />
      <source>Dispensing of product {0} for infusion</source>
      <translation>发放产品 {0} 用于输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/pharmacy_page.py" line="379" />
      <source>Product {0} {1}.</source>
      <translation>产品 {0} {1}。</translation>
    </message>
  </context>
  <context>
    <name>ProtocolsPage</name>
    <message>
      <location filename="../../infusion_app/ui/protocols_page.py" line="30" />
      <source>Protocols on this station</source>
      <translation>本工作站的方案</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/protocols_page.py" line="36" />
      <source>Protocol</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/protocols_page.py" line="36" />
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/protocols_page.py" line="36" />
      <source>Title</source>
      <translation>标题</translation>
    </message>
  </context>
  <context>
    <name>RecordPreview</name>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="55" />
      <source>Preview: {0}</source>
      <translation>预览：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="69" />
      <source>{0} of {1}: {2} pages, head hash {3}</source>
      <translation>{1} 的{0}：共 {2} 页，链头哈希 {3}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="75" />
      <source>&amp;Print…</source>
      <translation>打印(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="76" />
      <source>&amp;Save as PDF…</source>
      <translation>另存为 PDF(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="77" />
      <source>&amp;Close</source>
      <translation>关闭(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="112" />
      <source>The printer could not be started.</source>
      <translation>无法启动打印机。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="127" />
      <source>Sent to {0}.</source>
      <translation>已发送到 {0}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="130" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
  </context>
  <context>
    <name>Document</name>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="44" />
      <source>infusion record</source>
      <translation>输注记录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="45" />
      <source>infusion log</source>
      <translation>输注日志</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="46" />
      <source>patient course record</source>
      <translation>患者疗程记录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="47" />
      <source>safety review record</source>
      <translation>安全性审查记录</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="48" />
      <source>trial summary</source>
      <translation>试验总结</translation>
    </message>
  </context>
  <context>
    <name>Role</name>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="69" />
      <source>nurse</source>
      <translation>护士</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="70" />
      <source>pharmacist</source>
      <translation>药师</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="71" />
      <source>monitor</source>
      <translation>监查员</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="72" />
      <source>admin</source>
      <translation>管理员</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/main_window.py" line="73" />
      <source>investigator</source>
      <translation>研究者</translation>
    </message>
  </context>
  <context>
    <name>SettingsPage</name>
    <message>
      <location filename="../../infusion_app/ui/settings_page.py" line="17" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/settings_page.py" line="29" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/settings_page.py" line="32" />
      <source>Patient names and free text are shown as entered, in any language; a protocol's own texts (its title, groups and rules) in Chinese where the site's translation has them, else as its file writes them.</source>
      <translation>患者姓名和自由文本按录入原样显示，可为任何语言；方案自身的文字（标题、组别和规则）有本中心译文时以中文显示，否则按方案文件原文显示。</translation>
    </message>
  </context>
  <context>
    <name>SignatureDialog</name>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="53" />
      <source>Electronic signature</source>
      <translation>电子签名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="56" />
      <source>By entering my password I sign this record as {meaning}.</source>
      <translation>输入密码即表示我以“{meaning}”签署此记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="72" />
      <source>Signing</source>
      <translation>签署内容</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="75" />
      <source>Meaning</source>
      <translation>含义</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="76" />
      <source>Printed name</source>
      <translation>签名人姓名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="77" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="81" />
      <source>Time of the act</source>
      <translation>操作时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="86" />
      <source>Sign</source>
      <translation>签名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="114" />
      <source>Checking the password and saving…</source>
      <translation>正在核对密码并保存…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/signature_dialog.py" line="124" />
      <source>Not signed: {0}. Failed attempts: {1} (each is recorded in the log).</source>
      <translation>未签名：{0}。失败次数：{1}（每次均记入日志）。</translation>
    </message>
  </context>
  <context>
    <name>Status</name>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="124" />
      <source>Not started</source>
      <translation>未开始</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="125" />
      <source>Running</source>
      <translation>进行中</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="126" />
      <source>Paused</source>
      <translation>已暂停</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="127" />
      <source>Ended</source>
      <translation>已结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="128" />
      <source>Stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/bedside_screen.py" line="129" />
      <source>Observation complete</source>
      <translation>观察完成</translation>
    </message>
  </context>
  <context>
    <name>StepStrip</name>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="18" />
      <source>Checks</source>
      <translation>核对</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="19" />
      <source>Premedication</source>
      <translation>预处理</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="20" />
      <source>Thaw</source>
      <translation>复苏</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="21" />
      <source>Slow phase</source>
      <translation>慢速阶段</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="22" />
      <source>Fast phase</source>
      <translation>快速阶段</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="23" />
      <source>End</source>
      <translation>结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="24" />
      <source>Observation</source>
      <translation>观察</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/step_strip.py" line="25" />
      <source>Done</source>
      <translation>完成</translation>
    </message>
  </context>
  <context>
    <name>TrialPage</name>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="83" />
      <source>Trial: dose finding</source>
      <translation>试验：剂量探索</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="88" />
      <source>P&amp;rotocol:</source>
      <translation>方案(&amp;R)：</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="90" />
      <source>Refresh (F5)</source>
      <translation>刷新 (F5)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="93" />
      <source>&amp;Print safety review…</source>
      <translation>打印安全性审查(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="96" />
      <source>E&amp;xport counts…</source>
      <translation>导出计数(&amp;X)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="99" />
      <source>Print su&amp;mmary…</source>
      <translation>打印试验总结(&amp;M)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="126" />
      <location filename="../../infusion_app/ui/trial_page.py" line="137" />
      <location filename="../../infusion_app/ui/trial_page.py" line="173" />
      <source>Level</source>
      <translation>剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="127" />
      <location filename="../../infusion_app/ui/trial_page.py" line="174" />
      <source>Enrolled</source>
      <translation>入组</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="128" />
      <location filename="../../infusion_app/ui/trial_page.py" line="175" />
      <source>Treated</source>
      <translation>已治疗</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="129" />
      <location filename="../../infusion_app/ui/trial_page.py" line="178" />
      <source>Evaluable</source>
      <translation>可评价</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="130" />
      <source>Pending</source>
      <translation>待定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="131" />
      <source>DLTs</source>
      <translation>DLT 数</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="132" />
      <source>Not evaluable</source>
      <translation>不可评价</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="137" />
      <location filename="../../infusion_app/ui/trial_page.py" line="142" />
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="137" />
      <source>DLT status</source>
      <translation>DLT 状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="137" />
      <source>Window ends</source>
      <translation>观察期结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="143" />
      <source>Adverse event</source>
      <translation>不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="144" />
      <source>Term</source>
      <translation>术语</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="145" />
      <source>Grade</source>
      <translation>分级</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="146" />
      <source>Started</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="147" />
      <source>Adjudication</source>
      <translation>判定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="154" />
      <source>Patients (n)</source>
      <translation>患者数 (n)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="155" />
      <source>Escalate if DLTs ≤</source>
      <translation>DLT ≤ 时递增</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="156" />
      <source>De-escalate if DLTs ≥</source>
      <translation>DLT ≥ 时降级</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="157" />
      <source>Eliminate if DLTs ≥</source>
      <translation>DLT ≥ 时剔除</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="163" />
      <source>Signed</source>
      <translation>签名</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="164" />
      <source>By</source>
      <translation>操作者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="165" />
      <source>Decision</source>
      <translation>决定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="166" />
      <source>At level</source>
      <translation>决定所在剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="167" />
      <source>Next level</source>
      <translation>下一剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="176" />
      <source>Infusions planned</source>
      <translation>计划输注次数</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="177" />
      <source>Infusions given</source>
      <translation>已输注次数</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="179" />
      <source>DLTs (rate)</source>
      <translation>DLT（发生率）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="180" />
      <source>Any AE</source>
      <translation>任何不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="181" />
      <source>AE grade ≥ 3</source>
      <translation>≥3 级不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="182" />
      <source>SAE</source>
      <translation>严重不良事件</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="200" />
      <source>&amp;Levels</source>
      <translation>剂量水平(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="201" />
      <source>Pa&amp;tients</source>
      <translation>患者(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="202" />
      <source>DLT ad&amp;judication</source>
      <translation>DLT 判定(&amp;J)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="203" />
      <source>Decision ta&amp;ble</source>
      <translation>决策表(&amp;B)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="204" />
      <source>Signed re&amp;views</source>
      <translation>已签署的审查(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="205" />
      <source>S&amp;ummary</source>
      <translation>总结(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="238" />
      <source>&amp;Adjudicate DLT…</source>
      <translation>判定 DLT(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="241" />
      <source>Sign the &amp;decision…</source>
      <translation>签署决定(&amp;D)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="298" />
      <source>No installed protocol has a dose-finding rule.</source>
      <translation>已安装的方案均无剂量探索规则。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="317" />
      <source>{0} · {1} · levels in order {2}</source>
      <translation>{0} · {1} · 剂量水平顺序 {2}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="320" />
      <source>Current level: {0} · {1}</source>
      <translation>当前剂量水平：{0} · {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="323" />
      <source>Waiting: {0}</source>
      <translation>等待：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="326" />
      <source>Eliminated (too toxic): {0}</source>
      <translation>已剔除（毒性过大）：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="337" />
      <source>Estimated DLT rates (isotonic, target {0:.2f}): {1}</source>
      <translation>DLT 率估计（保序回归，目标 {0:.2f}）：{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="344" />
      <source>To be replaced: {0}</source>
      <translation>需替换：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="351" />
      <source>The rule says: {0}</source>
      <translation>规则结论：{0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="373" />
      <source> (deviation)</source>
      <translation>（方案偏离）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="430" />
      <location filename="../../infusion_app/ui/trial_page.py" line="454" />
      <source>All levels</source>
      <translation>全部剂量水平</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="448" />
      <source>Data cut {0}; heads digest {1}…</source>
      <translation>数据截止 {0}；链头摘要 {1}…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="453" />
      <source>{0}: related AE {1}: {2} patients, worst grade {3}</source>
      <translation>{0}：相关不良事件 {1}：{2} 例患者，最高 {3} 级</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="467" />
      <source>waiting for the cohort</source>
      <translation>等待队列</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="468" />
      <source>a decision awaits its signed review</source>
      <translation>有决定待签署审查</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="469" />
      <source>dose finding complete: the optimal dose to sign</source>
      <translation>剂量探索完成：待签署最佳剂量</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="470" />
      <source>optimal dose signed: later patients receive it</source>
      <translation>最佳剂量已签署：后续患者按此剂量给药</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="471" />
      <source>dose finding over</source>
      <translation>剂量探索已结束</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="476" />
      <source>pending</source>
      <translation>待定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="477" />
      <source>DLT</source>
      <translation>DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="478" />
      <source>no DLT</source>
      <translation>无 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="479" />
      <source>not evaluable: replace</source>
      <translation>不可评价：需替换</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="484" />
      <source>to adjudicate</source>
      <translation>待判定</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="485" />
      <source>confirmed</source>
      <translation>已确认</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="486" />
      <source>rejected</source>
      <translation>已否决</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="499" />
      <source>Making the record…</source>
      <translation>正在生成记录…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="509" />
      <source>Record ready: {0} bytes.</source>
      <translation>记录已生成：{0} 字节。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="523" />
      <source>Making the summary…</source>
      <translation>正在生成总结…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="269" />
      <source>Reading the trial records…</source>
      <translation>正在读取试验记录…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="585" />
      <source>No decision is due: the rule waits for the cohort.</source>
      <translation>尚无待定决定：规则在等待队列。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="591" />
      <source>Choose a flagged DLT still to adjudicate.</source>
      <translation>请选择一条待判定的已标记 DLT。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="600" />
      <source>confirmed: a DLT</source>
      <translation>确认：属于 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="600" />
      <source>rejected: not a DLT</source>
      <translation>否决：不属于 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="601" />
      <source>{0} grade {1} of patient {2}, started {3} ({4} #{5})</source>
      <translation>患者 {2} 的 {0} {1} 级，开始于 {3}（{4} #{5}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="611" />
      <source>Adjudicate a flagged DLT</source>
      <translation>判定已标记的 DLT</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="613" />
      <source>Verdict</source>
      <translation>结论</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="614" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="616" />
      <source>Flagged by the rules: {0}. Only confirmed DLTs count.</source>
      <translation>按规则标记：{0}。只有已确认的 DLT 计入。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="622" />
      <source>DLT adjudication: {0}: {1} ({2})</source>
      <translation>DLT 判定：{0}：{1}（{2}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="635" />
      <source>{0} #{1} adjudicated: {2}.</source>
      <translation>{0} #{1} 已判定：{2}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="661" />
      <source>{0} (BOIN select.mtd)</source>
      <translation>{0}（BOIN select.mtd）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="662" />
      <source>{0} (the protocol's wording: largest equal or closest)</source>
      <translation>{0}（方案原文：等于或最接近目标的最大剂量）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="668" />
      <source>Choose the optimal dose</source>
      <translation>选择最佳剂量</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="670" />
      <source>Optimal dose</source>
      <translation>最佳剂量</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="671" />
      <source>Reason for the choice</source>
      <translation>选择理由</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="679" />
      <source>Dose-finding decision of {0}: {1}{2} (DLTs/evaluable {3})</source>
      <translation>{0} 的剂量探索决定：{1}{2}（DLT/可评价 {3}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="682" />
      <source>, chosen {0}: {1}</source>
      <translation>，选定 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="697" />
      <source>Decision signed: {0}.</source>
      <translation>决定已签署：{0}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/trial_page.py" line="716" />
      <source>reviewed</source>
      <translation>已审阅</translation>
    </message>
  </context>
  <context>
    <name>VitalsEntry</name>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="33" />
      <source>T °C</source>
      <translation>体温 °C</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="34" />
      <source>HR</source>
      <translation>心率</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="35" />
      <source>SBP</source>
      <translation>收缩压</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="36" />
      <source>DBP</source>
      <translation>舒张压</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="37" />
      <source>RR</source>
      <translation>呼吸</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="53" />
      <source>Vital s&amp;igns:</source>
      <translation>生命体征(&amp;I)：</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="69" />
      <source>on O2</source>
      <translation>吸氧</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="81" />
      <source>Record vitals</source>
      <translation>记录生命体征</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="121" />
      <source>NEWS2: as you type</source>
      <translation>NEWS2：输入时显示</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/vitals_entry.py" line="131" />
      <source>NEWS2 {0} ({1} risk)</source>
      <translation>NEWS2 {0}（{1} 风险）</translation>
    </message>
  </context>
  <context>
    <name>WardBoardPage</name>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="124" />
      <source>Ward board: every station (read-only)</source>
      <translation>病区看板：所有工作站（只读）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="126" />
      <source>&amp;Large text</source>
      <translation>大字体(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="128" />
      <source>Refresh (F5)</source>
      <translation>刷新 (F5)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="134" />
      <location filename="../../infusion_app/ui/ward_board_page.py" line="150" />
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="135" />
      <location filename="../../infusion_app/ui/ward_board_page.py" line="151" />
      <source>Initials</source>
      <translation>姓名缩写</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="136" />
      <source>Infusion</source>
      <translation>输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="137" />
      <source>Station</source>
      <translation>工作站</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="138" />
      <source>Step</source>
      <translation>步骤</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="139" />
      <source>Next due</source>
      <translation>下一项</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="140" />
      <source>Alarms</source>
      <translation>警报</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="141" />
      <source>At the bedside</source>
      <translation>床旁人员</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="145" />
      <source>No infusion in progress on any station.</source>
      <translation>所有工作站均无进行中的输注。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="147" />
      <source>Today: visits, samples and open SAE reports</source>
      <translation>今日：访视、样本及未报告的 SAE</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="152" />
      <source>What</source>
      <translation>事项</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="153" />
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="154" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="239" />
      <source>Read at {0}</source>
      <translation>读取于 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/ward_board_page.py" line="245" />
      <source>{0} at {1}, {2}</source>
      <translation>{0}，{1}，{2}</translation>
    </message>
  </context>
  <context>
    <name>WorklistPage</name>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="73" />
      <source>Infusions today</source>
      <translation>今日输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="77" />
      <source>Search by trial ID (or scan a wristband)</source>
      <translation>按受试者编号搜索（或扫描腕带）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="79" />
      <source>This station only ({0})</source>
      <translation>仅本工作站（{0}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="82" />
      <source>Refresh (F5)</source>
      <translation>刷新 (F5)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="87" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="103" />
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="88" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="104" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="321" />
      <source>Initials</source>
      <translation>姓名缩写</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="89" />
      <source>Infusion</source>
      <translation>输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="90" />
      <source>Product</source>
      <translation>产品</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="91" />
      <source>Station</source>
      <translation>工作站</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="92" />
      <source>Step</source>
      <translation>步骤</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="93" />
      <source>Next due</source>
      <translation>下一项</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="94" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="107" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="99" />
      <source>Due today: visits, samples, checks and SAE reports</source>
      <translation>今日待办：随访、样本、检查和 SAE 报告</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="105" />
      <source>What</source>
      <translation>事项</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="106" />
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="113" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="216" />
      <source>&amp;Record…</source>
      <translation>记录(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="117" />
      <source>&amp;Open at the bedside</source>
      <translation>在床旁打开(&amp;O)</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="120" />
      <source>New &amp;patient…</source>
      <translation>新患者(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="124" />
      <source>New &amp;weight…</source>
      <translation>新体重(&amp;W)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="128" />
      <source>New &amp;infusion…</source>
      <translation>新输注(&amp;I)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="135" />
      <source>No infusions today here. Create one with New infusion.</source>
      <translation>今天这里没有输注。请用“新输注”创建。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="213" />
      <source>&amp;Report on the patient's page…</source>
      <translation>在患者页面报告(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="26" />
      <source>infusion {0}</source>
      <translation>第 {0} 次输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="28" />
      <source>the patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="30" />
      <source>SAE report #{0}: {1}, grade {2} ({3})</source>
      <translation>SAE 报告 #{0}：{1}，{2} 级（{3}）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="33" />
      <source>by {0}</source>
      <translation>截止 {0}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="38" />
      <location filename="../../infusion_app/ui/day_rows.py" line="54" />
      <source>overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="40" />
      <source>due in {0}</source>
      <translation>{0} 后到期</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="46" />
      <source>before the first infusion</source>
      <translation>首次输注前</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="48" />
      <source>{0} to {1}</source>
      <translation>{0} 至 {1}</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="52" />
      <source>due</source>
      <translation>待进行</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/day_rows.py" line="53" />
      <source>opens today</source>
      <translation>今日开放</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="211" />
      <source>&amp;Report at the bedside…</source>
      <translation>在床旁报告(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="270" />
      <source>Recorded for {0}: {1}.</source>
      <translation>已为 {0} 记录：{1}。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="318" />
      <source>New patient</source>
      <translation>新患者</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="320" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="381" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="439" />
      <source>Trial ID</source>
      <translation>受试者编号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="322" />
      <source>Sex</source>
      <translation>性别</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="323" />
      <source>Age (years)</source>
      <translation>年龄（岁）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="324" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="382" />
      <source>Weight (kg), actual body weight</source>
      <translation>体重 (kg)，实际体重</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="327" />
      <location filename="../../infusion_app/ui/worklist_page.py" line="385" />
      <source>Weighed at (HH:MM today, or date and time)</source>
      <translation>称重时间（今天 HH:MM，或日期和时间）</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="330" />
      <source>Protocol</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="331" />
      <source>Dose level or group</source>
      <translation>剂量水平或组别</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="362" />
      <source>Patient {0} registered.</source>
      <translation>患者 {0} 已登记。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="379" />
      <source>New weight</source>
      <translation>新体重</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="405" />
      <source>Weight of {0} recorded.</source>
      <translation>{0} 的体重已记录。</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="437" />
      <source>New infusion</source>
      <translation>新输注</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="442" />
      <source>Product ID</source>
      <translation>产品编号</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="448" />
      <source>Cycle or dose number</source>
      <translation>周期或剂次</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/worklist_page.py" line="469" />
      <source>Infusion created.</source>
      <translation>输注已创建。</translation>
    </message>
  </context>
  <context>
    <name>parent</name>
    <message>
      <location filename="../../infusion_app/ui/record_preview.py" line="103" />
      <source>Save as</source>
      <translation>另存为</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/file_chooser.py" line="134" />
      <source>File dialog</source>
      <translation>文件对话框</translation>
    </message>
    <message>
      <location filename="../../infusion_app/ui/file_chooser.py" line="135" />
      <source>The file dialog could not be opened ({0}).</source>
      <translation>无法打开文件对话框（{0}）。</translation>
    </message>
  </context>
</TS>