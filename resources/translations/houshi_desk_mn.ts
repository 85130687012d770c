<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="mn_MN" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../houshi_desk/gui/app.py" line="32"/>
        <source>身后一件事综合窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/app.py" line="164"/>
        <source>平台：演示平台未能启动（{0}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/app.py" line="268"/>
        <source>数据库无法打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="77"/>
        <source>读卡器：未启用（手工录入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="79"/>
        <location filename="../../houshi_desk/gui/demo.py" line="206"/>
        <source>读卡器：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="81"/>
        <source>读卡器：正在连接…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="84"/>
        <source>读卡器：{0}，正在读卡…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="86"/>
        <source>读卡器：{0}，卡片在位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="87"/>
        <source>读卡器：{0}，请放卡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="101"/>
        <source>平台：未配置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="124"/>
        <source>平台：未配置（案件保存在本机队列）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="135"/>
        <source>平台：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="148"/>
        <source>平台：正在连接…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="155"/>
        <source>平台：发送已暂停</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="172"/>
        <source>平台：已暂停（{0}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="174"/>
        <source>平台：网络中断，恢复后自动续传</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="176"/>
        <source>平台：已连接</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="230"/>
        <source>发送队列：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="232"/>
        <source>发送队列：已全部送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="235"/>
        <source>发送队列：{0} 项待发（{1} 件），余 {2:.1f} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="238"/>
        <source>，约 {0} 分钟</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="240"/>
        <source>（已暂停）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/bridges.py" line="242"/>
        <source>；平台最后应答 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="24"/>
        <source>申请人（王测试）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="25"/>
        <source>逝者（测试）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="26"/>
        <source>外国人永久居留证（样本约翰）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="27"/>
        <source>港澳台居民居住证（陈样本）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="70"/>
        <source>窗口人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="70"/>
        <source>主管</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="74"/>
        <source>演示模式：数据在 {0}；账户 {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="77"/>
        <source>；未检测到 pcscd+vpcd，使用模拟读卡器</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="151"/>
        <source>{0}（虚拟身份证，pcscd）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="201"/>
        <source>放置样例卡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="219"/>
        <source>拿走卡片</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="227"/>
        <source>叫号：参考叫号服务启动中…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="231"/>
        <source>群众取号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="245"/>
        <source>叫号：演示未接叫号系统，不带号办理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="260"/>
        <source>叫号：已有 3 位群众取号等候，按 F2 叫下一号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="263"/>
        <source>叫号：参考叫号服务未能启动（{0}），本窗口不带号办理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/demo.py" line="275"/>
        <source>叫号：群众取到 {0} 号，按 F2 叫下一号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="85"/>
        <source>正在生成并打印{0}（{1}/{2}）…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="107"/>
        <source>已打印 {0} 份文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="109"/>
        <source>{0} 份文书已保存为 PDF（{1}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="111"/>
        <source>未能打印：{0}，可在案件中补打</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="113"/>
        <source>材料已齐，{0}无需打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="121"/>
        <source>{0}：已打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="123"/>
        <source>{0}：已保存 PDF（{1}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="125"/>
        <source>{0}：材料已齐，没有需要补交的材料，未打印（需要时可在案件中补打）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_jobs.py" line="127"/>
        <source>{0}：打印失败（{1}），PDF 已保存，可在案件中补打</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="17"/>
        <source>&lt;h3&gt;{0} 至 {1} 身后一件事受理情况&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="18"/>
        <source>受理案件 &lt;b&gt;{0}&lt;/b&gt; 件；到期事项 {1} 个，超期 &lt;b&gt;{2}&lt;/b&gt; 个；退回补正 {3} 个；未送达平台 {4} 件，平台拒收 {5} 件；补打 {6} 次，打印失败 {7} 次。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="24"/>
        <source>&lt;h4&gt;按经办人&lt;/h4&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="25"/>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="42"/>
        <source>经办人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="25"/>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="43"/>
        <source>合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="25"/>
        <source>已受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="25"/>
        <source>录入中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="25"/>
        <source>已办结</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="30"/>
        <source>&lt;h4&gt;按事项&lt;/h4&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="31"/>
        <source>事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="31"/>
        <source>办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="31"/>
        <source>到期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="31"/>
        <source>超期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="36"/>
        <source>&lt;h4&gt;超期事项&lt;/h4&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="41"/>
        <source>&lt;h4&gt;好差评（按经办人）&lt;/h4&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="42"/>
        <source>非常满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="42"/>
        <source>满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="42"/>
        <source>基本满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="42"/>
        <source>不满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="43"/>
        <source>非常不满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="44"/>
        <source>&lt;p&gt;待整改差评 {0} 条。&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupTimer</name>
    <message>
        <location filename="../../houshi_desk/gui/backup_timer.py" line="41"/>
        <source>备份：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/backup_timer.py" line="80"/>
        <location filename="../../houshi_desk/gui/backup_timer.py" line="94"/>
        <source>备份：失败</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/backup_timer.py" line="82"/>
        <source>自动备份失败：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/backup_timer.py" line="84"/>
        <source>备份：正常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/backup_timer.py" line="84"/>
        <source>备份：需注意</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="22"/>
        <source>高拍仪拍摄：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="35"/>
        <source>（无法显示实时画面，仍可拍摄）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="39"/>
        <source>把材料放在高拍仪下，按空格拍摄一页；拍完按 Enter。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="42"/>
        <source>拍摄(空格)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="44"/>
        <source>完成(Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="47"/>
        <source>重拍上一页(R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="50"/>
        <source>取消(Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="69"/>
        <source>正在拍摄…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="85"/>
        <source>第 {0} 页（{1}×{2}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="87"/>
        <source> — {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="91"/>
        <source>第 {0} 页未通过质量检查：{1}按 R 重拍这一页。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="93"/>
        <source>已拍 {0} 页。继续按空格拍下一页，或按 Enter 完成。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/camera_dialog.py" line="103"/>
        <source>已删除上一页，请放好材料后按空格重拍。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="33"/>
        <source>已排队（等待省级平台确认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="39"/>
        <source>已推送（平台 {0} 确认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="56"/>
        <source>窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="57"/>
        <source>省级平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="131"/>
        <source>案件 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="133"/>
        <source>正在打开案件 {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="141"/>
        <source>概要(&amp;1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="144"/>
        <source>事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="144"/>
        <source>部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="144"/>
        <location filename="../../houshi_desk/gui/case_view.py" line="147"/>
        <location filename="../../houshi_desk/gui/case_view.py" line="155"/>
        <location filename="../../houshi_desk/gui/case_view.py" line="185"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="144"/>
        <source>期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="144"/>
        <source>部门结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="147"/>
        <location filename="../../houshi_desk/gui/case_view.py" line="168"/>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="147"/>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="147"/>
        <location filename="../../houshi_desk/gui/case_view.py" line="168"/>
        <source>经办</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="147"/>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="151"/>
        <source>事项(&amp;2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="155"/>
        <source>材料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="155"/>
        <source>页数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="164"/>
        <source>材料(&amp;3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="168"/>
        <source>文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="168"/>
        <source>打印机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="168"/>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="172"/>
        <source>补打选中文书(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="174"/>
        <source>重新打印受理文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="176"/>
        <source>打印办结通知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="183"/>
        <source>打印(&amp;4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="185"/>
        <source>步骤</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="185"/>
        <source>进度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="185"/>
        <source>尝试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="185"/>
        <source>下次尝试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="186"/>
        <source>最近错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="187"/>
        <source>发送(&amp;5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="191"/>
        <source>提交受理(&amp;U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="194"/>
        <source>预览草稿(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="197"/>
        <source>办结(&amp;C)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="199"/>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="232"/>
        <source>{0}&#x3000;逝者 {1}&#x3000;申请人 {2}&#x3000;{3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="245"/>
        <source>（日历待更新）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="256"/>
        <source>已打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="256"/>
        <source>已存 PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="256"/>
        <source>失败</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="262"/>
        <source>（补打）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="298"/>
        <source>&#x3000;电话 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="301"/>
        <source>&lt;b&gt;委托&lt;/b&gt;：委托人因患{0}&#x3000;受托人工作单位 {1}&#x3000;委托期限 {2} 至 {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="306"/>
        <source>&lt;b&gt;死亡&lt;/b&gt;：{0}&#x3000;{1:%Y-%m-%d %H:%M}&#x3000;{2}&#x3000;证明编号 {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="308"/>
        <source>&lt;b&gt;遗体处理&lt;/b&gt;：{0}&#x3000;{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="315"/>
        <source>&lt;b&gt;询问结果&lt;/b&gt;：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="316"/>
        <source>&lt;b&gt;经办&lt;/b&gt;：{0}&#x3000;{1}&#x3000;{2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="322"/>
        <source>&lt;b&gt;叫号&lt;/b&gt;：{0} 号&#x3000;叫号 {1}&#x3000;受理 {2}&#x3000;结束 {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="384"/>
        <source>第 {0} 页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="393"/>
        <source>已提交受理，进入发送队列。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="408"/>
        <source>正在生成预览…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="423"/>
        <source>请先在列表中选中要补打的文书。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="445"/>
        <source>正在打印…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CloseCaseDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="65"/>
        <source>办结案件 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="72"/>
        <source>办结</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="73"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/case_view.py" line="80"/>
        <source>逝者居民身份证尚未缴销。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CloseCaseForm</name>
    <message>
        <location filename="../../ui/close_case.ui" line="12"/>
        <source>办结前请确认：各事项已有部门结果，户口注销最后办理，逝者居民身份证已缴销。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/close_case.ui" line="19"/>
        <source>逝者居民身份证已缴销(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/close_case.ui" line="36"/>
        <source>打印办结通知(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Cover</name>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="26"/>
        <source>屏幕已锁定</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeathStep</name>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="17"/>
        <source>死亡证明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="24"/>
        <source>死亡类型(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="25"/>
        <source>死亡时间(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="26"/>
        <source>死亡地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="27"/>
        <source>证明编号(&amp;Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="28"/>
        <source>出具单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="33"/>
        <source>遗体处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="38"/>
        <source>方式(&amp;C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="42"/>
        <source>火化/安葬日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="45"/>
        <source>逝者其他信息（打印在申请表上，可不填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="53"/>
        <source>开户行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="55"/>
        <source>工作单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="56"/>
        <source>公积金缴存中心</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="57"/>
        <source>逝者账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="69"/>
        <source>凭《居民死亡医学证明(推断)书》（医院或社区卫生服务中心、乡镇卫生院出具）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="70"/>
        <source>凭公安机关出具的《非正常死亡证明》。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="71"/>
        <source>凭驻外使领馆或境外机构出具并经认证的死亡证明。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="72"/>
        <source>凭人民法院宣告死亡的判决书。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="75"/>
        <source>墓位使用证/安葬证明编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="75"/>
        <source>火化证编号(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="86"/>
        <source>死亡时间格式不对，请写成 2026-01-20 08:30（时间可不填）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="89"/>
        <source>请填写死亡时间（以死亡证明为准）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="91"/>
        <source>死亡时间晚于今天，请核对死亡证明。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="93"/>
        <source>请填写死亡证明编号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/death_step.py" line="95"/>
        <source>火化/安葬日期格式不对，请写成 2026-01-22。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvaluationWindow</name>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="43"/>
        <source>非常满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="43"/>
        <source>满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="43"/>
        <source>基本满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="43"/>
        <source>不满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="44"/>
        <source>非常不满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="45"/>
        <source>办事指南不清楚、不准确</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="45"/>
        <source>等候或办理时间过长</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="46"/>
        <source>要求的材料过多或重复提交</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="46"/>
        <source>工作人员服务态度不好</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="47"/>
        <source>对办理结果不满意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="47"/>
        <source>其他</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="51"/>
        <source>请您评价本次服务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="53"/>
        <source>请您对本次服务作出评价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="60"/>
        <source>受理编号：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="60"/>
        <source>办理事项：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="61"/>
        <source>经办人：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="81"/>
        <source>请告诉我们哪里做得不好（可多选）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="91"/>
        <source>您的意见和建议（可不填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="94"/>
        <source>提交评价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="128"/>
        <source>请先点选一个评价等级。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="133"/>
        <source>请勾选不满意的原因，或写下您的意见，以便我们整改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="146"/>
        <source>谢谢您的评价！</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="156"/>
        <source>评价未能保存：{0}请告知窗口工作人员。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="215"/>
        <source>评价单已打印，请交给群众填写。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="217"/>
        <source>未设置评价单打印机，评价单已保存为 PDF，请从文书目录打印后交给群众。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="219"/>
        <source>评价单未能打印：{0}请检查打印机后重新打印。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="223"/>
        <source>评价单未能生成：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="236"/>
        <source>群众未在评价器上评价。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_window.py" line="240"/>
        <source>评价器未连接，本次评价改用纸质评价单。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InterviewStep</name>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="59"/>
        <source>询问家属（只问与本案有关的问题）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="66"/>
        <source>采用共享数据(&amp;G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="101"/>
        <source>办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="101"/>
        <source>事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="101"/>
        <source>部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="101"/>
        <source>理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="101"/>
        <source>办结期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="115"/>
        <source>打印分别办理指引(&amp;Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="132"/>
        <location filename="../../houshi_desk/gui/interview.py" line="142"/>
        <source>请选择</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="133"/>
        <source>是</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="134"/>
        <source>否</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="152"/>
        <source>数字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="154"/>
        <source>多个用顿号或逗号分隔，如：工商银行、农业银行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="231"/>
        <source>〔已改动共享数据（{0}），原因：{1}〕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="233"/>
        <source>〔{0}〕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="236"/>
        <source>〔共享数据为“{0}”（{1}），未覆盖已录入的内容〕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="327"/>
        <source>改动共享数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="328"/>
        <source>“{0}”来自共享数据（{1}）。请说明改动的原因（将记入审计）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="375"/>
        <source>请先完成申请人、逝者和死亡信息。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="386"/>
        <source>请回答：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="401"/>
        <source>不在联办范围，不能受理：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="404"/>
        <source>请分别到以下部门办理：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="413"/>
        <source>申请人资格：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="417"/>
        <source>申请人不符合申请条件：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="425"/>
        <source>告知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="427"/>
        <source>不适用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="429"/>
        <source>必办</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="434"/>
        <source>可选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="443"/>
        <source>（日历待更新）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="445"/>
        <source>按部门规定时限办结</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="466"/>
        <source>正在生成分别办理指引…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="472"/>
        <source>已送打印机“{0}”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="473"/>
        <source>未设置打印机，指引已保存为 PDF：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="478"/>
        <source>分别办理指引未能打印：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/interview.py" line="505"/>
        <source>清单尚未生成。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="49"/>
        <source>屏幕已锁定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="55"/>
        <source>长时间无操作，屏幕已锁定，案件内容已隐藏。
请{0}输入密码解锁，未保存的录入仍在。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="62"/>
        <source>密码(&amp;P)：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="72"/>
        <source>解锁</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="86"/>
        <source>请输入密码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/lock.py" line="96"/>
        <source>正在验证…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="19"/>
        <source>切换用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="19"/>
        <source>登录 — 身后一件事综合窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="23"/>
        <location filename="../../houshi_desk/gui/login.py" line="49"/>
        <source>登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="24"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="34"/>
        <source>演示模式：可用账户 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="47"/>
        <source>正在打开数据库…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="63"/>
        <source>本机还没有任何账户。请管理员先在命令行创建第一个管理员账户：
houshi-desk user add &lt;用户名&gt; --role admin --name &lt;姓名&gt;，然后用它登录并为窗口人员建账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="79"/>
        <source>请输入用户名。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="83"/>
        <source>请输入密码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/login.py" line="91"/>
        <source>正在验证…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <location filename="../../ui/login.ui" line="9"/>
        <source>公民身后“一件事”综合窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login.ui" line="25"/>
        <source>用户名(&amp;U)：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/login.ui" line="38"/>
        <source>密码(&amp;P)：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="32"/>
        <source>受理编号、姓名或证件号码；扫描回执条码直接打开案件（Ctrl+F）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="36"/>
        <source>查找：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="38"/>
        <source>新建案件 (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="50"/>
        <location filename="../../houshi_desk/gui/main_window.py" line="152"/>
        <location filename="../../houshi_desk/gui/main_window.py" line="209"/>
        <location filename="../../houshi_desk/gui/main_window.py" line="228"/>
        <source>今日案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="53"/>
        <source>受理编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="53"/>
        <source>逝者</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="53"/>
        <source>证件号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="53"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="54"/>
        <source>经办人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="54"/>
        <source>受理日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="69"/>
        <source>请先登录。登录后显示今日案件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="127"/>
        <source>身后一件事综合窗口 — {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="130"/>
        <source>【演示模式】</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="137"/>
        <source>常用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="150"/>
        <source>新建案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="151"/>
        <source>查找</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="153"/>
        <source>发送队列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="154"/>
        <source>主管</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="155"/>
        <source>切换用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="156"/>
        <source>锁定屏幕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="174"/>
        <source>读卡器：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="175"/>
        <source>平台：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="176"/>
        <source>发送队列：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="187"/>
        <source>读卡器：未启用（手工录入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="198"/>
        <source>经办人：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="198"/>
        <source>未登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="251"/>
        <source>查找“{0}”：{1} 件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="294"/>
        <source>请先登录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="297"/>
        <source>数据库正在打开，请稍候。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="320"/>
        <source>（{0} 号）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="408"/>
        <source>还有未送达的案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/main_window.py" line="409"/>
        <source>发送队列中还有 {0} 项尚未送达省级平台。

关闭后它们保存在本机，不会丢失：下次打开程序时自动继续发送，也可以在窗口关闭时运行 houshi-desk sync 在后台发送。

确定关闭吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MaterialsStep</name>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="33"/>
        <source>材料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="33"/>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="34"/>
        <source>用于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="34"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="35"/>
        <source>页数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="61"/>
        <source>以下是本案需要的全部材料（每种只收一次）。选中一行后：S 扫描，F 导入文件，C 高拍仪，P 已收纸质，D 容缺后补，H 共享获取，M 标为缺。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="81"/>
        <source>扫描(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="82"/>
        <source>导入文件(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="83"/>
        <source>高拍仪(&amp;C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="84"/>
        <source>已收纸质(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="85"/>
        <source>容缺后补(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="86"/>
        <source>共享获取(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="87"/>
        <source>标为缺(&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="105"/>
        <source>未检测到扫描仪；可用“导入文件”或高拍仪</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="119"/>
        <source>重新扫描(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="120"/>
        <source>说明理由后使用(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="139"/>
        <source>第 {0} 页：{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="148"/>
        <source>已说明理由后使用：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="152"/>
        <source>按 R 重新扫描，或按 A 说明理由后仍然使用（记入审计）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="185"/>
        <location filename="../../houshi_desk/gui/materials_step.py" line="193"/>
        <source>说明理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="186"/>
        <source>请说明为什么仍然使用这些页面（将记入审计）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="193"/>
        <source>请填写理由（至少两个字），或按 R 重新扫描。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="245"/>
        <source>本机未安装文字识别组件（OCR），无法核对证明上的内容；请人工核对证明与录入是否一致。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="288"/>
        <source>正在核对证明上的内容（第 {0}/{1} 页），可继续办理…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="343"/>
        <source>✓ {0}与证明一致</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="346"/>
        <source>✗ {0}（{1}，{2}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="348"/>
        <source> — 已保留录入：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="358"/>
        <source>证明与录入有 {0} 处不一致：请回到前面的步骤更正，或选中该行按 K 说明理由后保留录入（记入审计）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="361"/>
        <source>证明上的内容已与录入核对。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="363"/>
        <source>未能从证明上读出可核对的内容，请人工核对。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="388"/>
        <source>保留录入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="389"/>
        <source>请说明为什么保留与证明不一致的录入（将记入审计）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="422"/>
        <source>用扫描仪 {0} 扫描选中的材料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="456"/>
        <source>共享获取（免提交）{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="459"/>
        <source>质量未通过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="468"/>
        <source>共 {0} 种材料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="470"/>
        <source>；尚缺 {0} 种（将列入一次告知单）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="472"/>
        <source>；容缺后补 {0} 种</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="475"/>
        <source>；{0} 种材料的页面未通过质量检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="485"/>
        <source>申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="492"/>
        <source> 等 {0} 项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="545"/>
        <source>导入材料文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="545"/>
        <source>图片或 PDF (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="564"/>
        <source>正在读取文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="588"/>
        <source>已扫描 {0} 页…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="599"/>
        <source>正在扫描…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="622"/>
        <source>高拍仪</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="642"/>
        <source>正在处理照片…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="676"/>
        <source>“{0}”{1}请按 R 重新扫描，或按 A 说明理由后仍然使用。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/materials_step.py" line="683"/>
        <source>{0}。请回到前面的步骤更正录入，或在核对列表中选中该行按 K 说明理由后保留。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="211"/>
        <source>新建案件 — 身后一件事</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="226"/>
        <source>1 申请人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="227"/>
        <source>1a 受托人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="228"/>
        <source>2 逝者</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="229"/>
        <source>3 死亡与安葬</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="230"/>
        <source>4 办理事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="231"/>
        <source>5 材料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="232"/>
        <source>6 核对与打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="309"/>
        <source>打印并提交</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="309"/>
        <source>下一步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="317"/>
        <source>请申请人把身份证放在读卡器上（或手工录入），核对后按 Enter。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="318"/>
        <source>请受托人把身份证放在读卡器上（或手工录入）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="319"/>
        <source>请把逝者的身份证放在读卡器上（证件过期属正常情况）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="320"/>
        <source>按死亡证明和火化证/安葬证明填写。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="321"/>
        <source>逐项询问家属；右侧清单随回答即时更新。可选事项用空格键勾选或取消。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="322"/>
        <source>逐项收取材料；缺的材料会列入一次告知单，家属补齐后再交。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="323"/>
        <source>与家属核对以下信息，按 Enter 打印文书并提交受理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="374"/>
        <source>放弃录入？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="375"/>
        <source>已录入的内容尚未保存。确定放弃这个案件吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="401"/>
        <source>已读到 {0} 的证件；当前步骤不涉及证件。如需改申请人或逝者，请按 Alt+B 回到该步骤后重新放卡。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="414"/>
        <source>已读取{0}证件：{1}（{2} 毫秒）。核对无误后按 Enter。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="423"/>
        <source>保留了已录入的{0}信息。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="483"/>
        <source>信息不完整，请返回前面的步骤。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="491"/>
        <source>，电话 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="498"/>
        <source>&lt;b&gt;委托&lt;/b&gt;：委托人因患{0}；受托人工作单位 {1}；委托期限 {2} 至 {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="499"/>
        <source>（未填，委托书上留横线手写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="500"/>
        <source>受理日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="501"/>
        <source>（默认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="505"/>
        <source>&lt;b&gt;证件过期继续受理原因&lt;/b&gt;：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="506"/>
        <source>&lt;b&gt;死亡&lt;/b&gt;：{0}，{1:%Y-%m-%d %H:%M}，证明编号 {2}；{3}，证号 {4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="509"/>
        <source>（日历待更新）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="514"/>
        <source>&lt;b&gt;申请办理 {0} 项&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="520"/>
        <source>&lt;b&gt;材料&lt;/b&gt;：共 {0} 种，已收 {1} 种</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="526"/>
        <source>尚缺（列入一次告知单）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="528"/>
        <source>容缺后补：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="539"/>
        <source>正在生成预览…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="545"/>
        <source>（未受理）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="557"/>
        <source>数据库尚未就绪，请稍候再试。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="568"/>
        <source>须由主管登录本窗口并登记原因后才能继续。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="580"/>
        <source>正在保存案件和材料页面…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="590"/>
        <source>正在保存案件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="588"/>
        <source>正在保存…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="596"/>
        <source>案件未能保存：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="607"/>
        <source>材料页面未保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="608"/>
        <source>案件 {0} 已保存为草稿，但扫描的材料页面未能保存：{1}
请在案件中重新扫描或导入后再提交。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="613"/>
        <source>案件 {0} 已受理，正在打印文书…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="618"/>
        <source>正在打印文书…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="627"/>
        <source>部分文书未打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="628"/>
        <source>案件 {0} 已受理并提交；</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="636"/>
        <source>案件 {0} 已受理并提交；打印已取消，可在案件中补打。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="639"/>
        <source>文书未打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="640"/>
        <source>案件 {0} 已受理并提交，但文书未能生成或打印：{1}
可在案件中补打。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewCaseForm</name>
    <message>
        <location filename="../../ui/new_case.ui" line="49"/>
        <source>Enter 下一步 · Alt+B 上一步 · Esc 取消（已录入内容会先确认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/new_case.ui" line="63"/>
        <source>上一步(&amp;B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/new_case.ui" line="73"/>
        <source>下一步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/new_case.ui" line="83"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="33"/>
        <source>发送未运行，恢复后发送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="37"/>
        <source>即将发送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="38"/>
        <source>即将重试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="55"/>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="132"/>
        <source>发送队列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="59"/>
        <source>显示已送达和已取消的项(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="62"/>
        <source>案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="62"/>
        <source>步骤</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="62"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="62"/>
        <source>进度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="62"/>
        <source>尝试次数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="63"/>
        <source>下次尝试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="63"/>
        <source>最近错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="68"/>
        <source>立即重试(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="70"/>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="166"/>
        <source>暂停发送(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="72"/>
        <source>取消该案件的发送(&amp;X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="74"/>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="147"/>
        <source>没有任何发送记录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="147"/>
        <source>没有待发送的项：所有案件都已送达省级平台。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="165"/>
        <source>平台已收到该案件，不能再取消发送；如需撤回，请在案件中办理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="166"/>
        <source>继续发送(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="176"/>
        <source>已放回队列，马上重试。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="195"/>
        <source>已继续发送。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="195"/>
        <source>已暂停发送；案件仍保存在本机队列中。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="203"/>
        <source>取消发送？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="204"/>
        <source>取消后，案件 {0} 不会再发送到省级平台（案件本身仍保存在本机）。确定取消吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/outbox_view.py" line="212"/>
        <source>已取消该案件的发送。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="34"/>
        <source>证件信息（放置身份证自动填写，或手工录入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="40"/>
        <source>（按号码）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="47"/>
        <source>空 = 长期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="49"/>
        <source>证件类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="49"/>
        <source>姓名(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="50"/>
        <source>证件号码(&amp;I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="50"/>
        <source>性别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="51"/>
        <source>民族</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="51"/>
        <location filename="../../houshi_desk/gui/person_form.py" line="199"/>
        <source>出生日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="52"/>
        <source>签发机关</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="52"/>
        <location filename="../../houshi_desk/gui/person_form.py" line="199"/>
        <source>有效期起</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="53"/>
        <location filename="../../houshi_desk/gui/person_form.py" line="200"/>
        <source>有效期止</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="61"/>
        <source>证件住址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="68"/>
        <source>证件过期仍继续受理的原因（如：新证办理中，已核验临时身份证明）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="69"/>
        <source>过期原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="78"/>
        <source>联系与账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="81"/>
        <source>请选择</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="92"/>
        <source>如：受遗赠人、监护人、料理后事的人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="93"/>
        <source>特定关系说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="96"/>
        <source>与逝者关系(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="101"/>
        <source>与申请人关系(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="103"/>
        <source>联系电话(&amp;T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="104"/>
        <source>常住地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="107"/>
        <source>工作单位(&amp;E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="111"/>
        <source>开户行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="113"/>
        <source>本人一类银行卡号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="114"/>
        <source>工作单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="126"/>
        <source>证件照片（读卡后显示）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="202"/>
        <source>{0}格式不对，请写成 2026-01-20。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="207"/>
        <source>（已登记原因）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="214"/>
        <source>请写明与逝者的特定关系（如受遗赠人、监护人）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="217"/>
        <source>请选择{0}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="217"/>
        <source>与逝者的关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="218"/>
        <source>与申请人的关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="245"/>
        <source>请放置{0}的身份证，或手工录入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="254"/>
        <source>（读自证件芯片）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="255"/>
        <source>✓ 证件信息完整有效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="263"/>
        <source>替换已录入的信息？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="264"/>
        <source>{0}信息已录入（{1}）。用刚放置的证件（{2}）替换吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/person_form.py" line="265"/>
        <source>未填姓名</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonStep</name>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="46"/>
        <source>由受托人代为办理（仅限逝者唯一亲属身患重疾、长期卧床时）(&amp;W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="62"/>
        <source>委托事项（印在授权委托书上）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="66"/>
        <source>如：脑梗后遗症，长期卧床（空则在委托书上留横线手写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="67"/>
        <source>委托人因患(&amp;L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="77"/>
        <source>至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="80"/>
        <source>委托期限 自(&amp;V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="100"/>
        <source>委托期限开始日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="100"/>
        <source>委托期限截止日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="102"/>
        <source>{0}格式不对，请写成 2026-01-20。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="125"/>
        <source>请放置{0}的身份证，或录入姓名和证件号码。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/preview_dialog.py" line="21"/>
        <source>预览草稿 — {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/preview_dialog.py" line="21"/>
        <source>预览文书 — {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/preview_dialog.py" line="23"/>
        <source>案件尚未受理：以下文书标有“草稿”，仅供与家属核对，不能作为受理凭证。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/preview_dialog.py" line="24"/>
        <source>仅供核对；打印请在“打印”页进行。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/preview_dialog.py" line="43"/>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="41"/>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="89"/>
        <source>当前号：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="56"/>
        <source>叫下一号 ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="57"/>
        <source>重呼 ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="58"/>
        <source>过号 ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="59"/>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="88"/>
        <source>暂停叫号 ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="87"/>
        <source>恢复叫号 ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="89"/>
        <source>当前号：{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="109"/>
        <source>叫号系统未连接，本窗口暂不带号办理；恢复后点“叫下一号”即可继续叫号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="120"/>
        <source>目前没有等候的群众。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="142"/>
        <source>已重呼 {0}（第 {1} 次）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="155"/>
        <source>{0} 已过号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="169"/>
        <source>本窗口已暂停叫号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="169"/>
        <source>本窗口已恢复叫号。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/queue_panel.py" line="191"/>
        <source>{0} 已办结。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RectificationTab</name>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="19"/>
        <source>受理编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="19"/>
        <source>评价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="19"/>
        <source>原因与意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="19"/>
        <source>经办人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="20"/>
        <source>评价时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="20"/>
        <source>整改期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="26"/>
        <source>整改情况（如：已约谈经办人，已电话回访群众）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="28"/>
        <source>整改办结</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="56"/>
        <source>（已超期）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="60"/>
        <source>待整改差评 {0} 条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="60"/>
        <source>没有待整改的差评。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="69"/>
        <source>请先在列表中选中一条差评。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/evaluation_tasks.py" line="73"/>
        <source>请写明整改情况后再点“整改办结”。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewStep</name>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="141"/>
        <source>受理后打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="153"/>
        <source>预览草稿(&amp;Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="159"/>
        <source>办理结果送达方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="163"/>
        <source>窗口自取</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="164"/>
        <source>邮寄送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="165"/>
        <source>送达方式(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="167"/>
        <source>邮寄地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="167"/>
        <source>邮政编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="168"/>
        <source>收件人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/new_case.py" line="168"/>
        <source>收件人电话</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SharedPrefill</name>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="55"/>
        <source>正在查询共享数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="74"/>
        <source>平台上暂无该逝者的共享数据，按询问办理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="76"/>
        <source>已取得共享数据：{0} 项信息已填入，{1} 份电子证照免提交。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="78"/>
        <source>另有 {0} 项与已录入的不同，未覆盖，可在“办理事项”中采用。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="94"/>
        <source>共享数据暂不可用，按询问办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="108"/>
        <source>注意：该逝者已有受理中的案件 {0}（{1}，{2}受理），不能重复受理；请核对，确需另行受理须由主管登记原因。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="109"/>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="114"/>
        <source>其他受理点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="128"/>
        <source>重复受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="129"/>
        <source>确需另行受理（如另一位申请人办理前案未选的事项），请主管写明原因（将记入审计）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/shared_prefill.py" line="146"/>
        <source>录入的死亡日期 {0} 与电子死亡证明的 {1}（{2}）不一致，请核对死亡证明后再提交。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="56"/>
        <source>主管：日终报表、用户与审计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="64"/>
        <source>日期(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="71"/>
        <source>生成(&amp;G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="73"/>
        <source>打印日终报表(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="84"/>
        <source>日终报表(&amp;1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="88"/>
        <source>用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="88"/>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="88"/>
        <source>角色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="88"/>
        <source>所属窗口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="88"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="91"/>
        <source>新建、停用用户和重置密码需要管理员权限：houshi-desk user add / disable / reset-password。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="93"/>
        <source>用户(&amp;2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="97"/>
        <source>核验审计记录(&amp;V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="103"/>
        <source>序号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="103"/>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="103"/>
        <source>人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="103"/>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="103"/>
        <source>案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="104"/>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="106"/>
        <source>审计(&amp;3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="110"/>
        <source>差评整改(&amp;4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="113"/>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="131"/>
        <source>日期格式不对，请写成 2026-01-20。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="150"/>
        <source>日终报表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="162"/>
        <source>日终报表已{0}：{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="163"/>
        <source>打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="163"/>
        <source>保存为 PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="166"/>
        <source>正在生成报表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="180"/>
        <source>正常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="180"/>
        <source>已停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="182"/>
        <source>（锁定至 {0:%H:%M}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="183"/>
        <source>全大厅</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/supervisor_view.py" line="198"/>
        <source>正在核验…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>documents</name>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="112"/>
        <source>申请表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="113"/>
        <source>承诺书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="114"/>
        <source>授权委托书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="115"/>
        <source>一次性告知单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="116"/>
        <source>受理回执</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="117"/>
        <source>受理回执（小票）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="118"/>
        <source>办结通知书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="119"/>
        <source>分别办理指引</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="120"/>
        <source>audit.AuditError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="121"/>
        <source>bad_id_number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="122"/>
        <source>commands.InputFileError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="123"/>
        <source>core.HoushiError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="124"/>
        <source>documents.DocumentError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="125"/>
        <source>documents.FontError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="126"/>
        <source>documents.PrintError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="127"/>
        <source>documents.TemplateError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="128"/>
        <source>domain.CalendarError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="129"/>
        <source>domain.CatalogError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="130"/>
        <source>domain.ContactError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="131"/>
        <source>domain.FactsError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="132"/>
        <source>domain.InvalidCaseNumber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="133"/>
        <source>domain.InvalidIdNumber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="134"/>
        <source>domain.LimitError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="135"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="136"/>
        <source>idcard.CardDataError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="137"/>
        <source>idcard.CardError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="138"/>
        <source>idcard.CardRemovedError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="139"/>
        <source>idcard.FrameError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="140"/>
        <source>idcard.NoSamError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="141"/>
        <source>idcard.ReaderError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="142"/>
        <source>idcard.SamStatusError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="143"/>
        <source>not_configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="144"/>
        <source>queue.QueueRefused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="145"/>
        <source>queue.QueueUnavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="146"/>
        <source>retention.RetentionError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="147"/>
        <source>rights.RightsError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="148"/>
        <source>scanning.DeviceLost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="149"/>
        <source>scanning.DeviceNotFound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="150"/>
        <source>scanning.FeederEmpty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="151"/>
        <source>scanning.ImageRejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="152"/>
        <source>scanning.MaterialError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="153"/>
        <source>scanning.OcrUnavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="154"/>
        <source>scanning.ScanCancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="155"/>
        <source>scanning.ScanError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="156"/>
        <source>scanning.StorageError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="157"/>
        <source>services.BundleSignerRefused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="158"/>
        <source>services.CaseError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="159"/>
        <source>services.CaseNotFound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="160"/>
        <source>services.CloseError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="161"/>
        <source>services.DuplicateCase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="162"/>
        <source>services.EvaluationError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="163"/>
        <source>services.EvaluatorUnavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="164"/>
        <source>services.OutOfScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="165"/>
        <source>services.PrintRefused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="166"/>
        <source>services.SharedUnavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="167"/>
        <source>store.BackupError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="168"/>
        <source>store.DatabaseDamaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="169"/>
        <source>store.DatabaseMissing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="170"/>
        <source>store.HallModeBackup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="171"/>
        <source>store.KeyMissing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="172"/>
        <source>store.KeyringUnavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="173"/>
        <source>store.RecoveryFileError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="174"/>
        <source>store.StoreError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="175"/>
        <source>sync.AuthError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="176"/>
        <source>sync.BundleError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="177"/>
        <source>sync.LocalFileError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="178"/>
        <source>sync.OffsetMismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="179"/>
        <source>sync.OutboxError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="180"/>
        <source>sync.RejectedError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="181"/>
        <source>transient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="182"/>
        <source>upload_gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="183"/>
        <source>users.AccountDisabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="184"/>
        <source>users.AccountLocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="185"/>
        <source>users.LoginFailed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="186"/>
        <source>users.NotLoggedIn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="187"/>
        <source>users.PermissionDenied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="188"/>
        <source>users.UserError</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facts</name>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="46"/>
        <source>逝者是正常死亡、非正常死亡、境外死亡，还是被宣告死亡？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="47"/>
        <source>正常死亡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="48"/>
        <source>非正常死亡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="49"/>
        <source>在国（境）外死亡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="50"/>
        <source>被宣告死亡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="51"/>
        <source>逝者死亡日期是哪一天？（以死亡证明为准）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="52"/>
        <source>逝者是否在本自治区境内死亡？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="53"/>
        <source>逝者是否为本自治区户籍人员？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="54"/>
        <source>遗体是火化还是安葬？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="55"/>
        <source>火化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="56"/>
        <source>安葬</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="57"/>
        <source>骨灰是否在公墓或公益性墓地安葬？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="58"/>
        <source>逝者是不是户主？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="59"/>
        <source>逝者是否持有机动车驾驶证（遗失的也算）？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="60"/>
        <source>逝者参加的是哪种养老保险？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="61"/>
        <source>职工基本养老保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="62"/>
        <source>城乡居民养老保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="63"/>
        <source>机关事业单位养老保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="64"/>
        <source>未参加养老保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="65"/>
        <source>逝者生前是否已在领取养老保险待遇？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="66"/>
        <source>逝者是否为离退休人员？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="67"/>
        <source>逝者生前是否在领取失业保险金？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="68"/>
        <source>逝者生前是否在公益性岗位领取补贴？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="69"/>
        <source>逝者参加的是哪种基本医疗保险？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="70"/>
        <source>职工基本医疗保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="71"/>
        <source>城乡居民基本医疗保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="72"/>
        <source>未参加基本医疗保险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="73"/>
        <source>逝者职工医保个人账户余额约多少元？（不清楚可填估计数，无余额填0）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="74"/>
        <source>逝者生前的医保费用（住院、门诊结算）是否已经结清？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="75"/>
        <source>逝者是否有住房公积金账户？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="76"/>
        <source>逝者或其配偶是否有未结清的住房公积金贷款？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="77"/>
        <source>逝者或其配偶是否为他人的住房公积金贷款承担担保责任？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="78"/>
        <source>逝者或其配偶的公积金账户是否被查封、冻结或被限制提取？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="79"/>
        <source>逝者原工作单位是否已办理其公积金个人账户封存？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="80"/>
        <source>逝者生前是否享受低保、特困供养、高龄津贴、孤儿或困难残疾人补贴等？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="81"/>
        <source>逝者是否属于城乡低收入困难群体（低保、特困等）？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="82"/>
        <source>逝者是否为优抚对象（享受国家定期抚恤或生活补助）？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="83"/>
        <source>逝者属于哪类优抚对象？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="84"/>
        <source>重点优抚对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="85"/>
        <source>一般优抚对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="86"/>
        <source>军休干部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="87"/>
        <source>非优抚对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="88"/>
        <source>逝者是否为烈士、因公牺牲或病故军人，或政策规定的其他一次性抚恤对象？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="89"/>
        <source>逝者是否持有残疾人证？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="90"/>
        <source>逝者在哪些银行有存款（每家银行5万元以内可免公证提取）？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="91"/>
        <source>申请人以什么身份继承逝者存款？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="92"/>
        <source>第一顺序法定继承人（配偶、子女、父母）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="93"/>
        <source>公证遗嘱指定的继承人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="94"/>
        <source>受遗赠人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="95"/>
        <source>其他继承人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="96"/>
        <source>申请人与逝者是什么关系？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="97"/>
        <source>配偶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="98"/>
        <source>子女</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="99"/>
        <source>父母</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="100"/>
        <source>兄弟姐妹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="101"/>
        <source>祖父母、外祖父母</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="102"/>
        <source>孙子女、外孙子女</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="103"/>
        <source>其他近亲属</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="104"/>
        <source>特定关系人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="105"/>
        <source>其他人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="106"/>
        <source>申请人与逝者是什么特定关系？（如受遗赠人、监护人、料理后事的人）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="107"/>
        <source>申请人年龄多少周岁？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="108"/>
        <source>申请人（16至18周岁）是否以本人劳动收入为主要生活来源？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="109"/>
        <source>逝者是否还有直系亲属（配偶、父母、子女等）？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="110"/>
        <source>是否由受托人代为办理？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/data_strings.py" line="111"/>
        <source>逝者是否只有一位直系亲属或近亲属，且其身患重疾、长期卧床行动不便？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>forms</name>
    <message>
        <location filename="../../houshi_desk/gui/forms.py" line="43"/>
        <source>界面文件缺失：{0}。安装可能不完整，请重新安装 houshi-desk。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/forms.py" line="50"/>
        <source>界面文件无法读取：{0}（{1}）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ops</name>
    <message>
        <location filename="../../houshi_desk/gui/ops.py" line="265"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/ops.py" line="270"/>
        <source>请稍候</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/ops.py" line="349"/>
        <source>发生意外错误，操作未完成，已输入的内容没有丢失。请重试；若反复出现，请联系信息科。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/ops.py" line="359"/>
        <source>未能完成</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>print_worker</name>
    <message>
        <location filename="../../houshi_desk/gui/print_worker.py" line="36"/>
        <source>打印机“{0}”长时间没有响应。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../houshi_desk/gui/print_worker.py" line="43"/>
        <source>打印程序意外退出（代码 {0}）。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
