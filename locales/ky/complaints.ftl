## Даттануулар: арыз толтуруу, мигранттын кайрылуулары, операторлордун кезеги

cp-intro =
    <b>Акыйкатчыга даттануу</b>
    Бир нече суроого жооп бериңиз. Кайрылууңуз номер алат; жооп ушул чатка мекеменин атынан келет.
    Бот маалымат берет, юридикалык кеңеш эмес. Ар бир кадамда артка кайтууга же жокко чыгарууга болот.
cp-urgent-intro = 🚨 <b>Шашылыш кайрылуу.</b> Эң керектүүсү гана — операторлор аны биринчи көрүшөт.
cp-ask-country = Бул кайсы өлкөдө болду?
cp-ask-city = Кайсы шаарда? Атын жазыңыз же «Өткөрүп жиберүү» баскычын басыңыз.
cp-ask-category = Эмне болду? Теманы тандаңыз:
cp-ask-description =
    Эмне болгонун жазыңыз: ким, эмне кылды, кайда. { $max } белгиге чейин.
    Сүрөт, документ же үн билдирүү тиркесеңиз болот ({ $files } файлга чейин). Бүткөндө «Даяр» баскычын басыңыз.
cp-description-saved = Жазылды. Файл тиркеңиз же «Даяр» баскычын басыңыз.
cp-file-saved = Файл кошулду ({ $max } ичинен { $count }).
cp-too-many-files = { $max } файлдан ашык тиркөөгө болбойт. Бул файл кошулган жок.
cp-file-too-big = Файл өтө чоң (20 МБдан ашык). Кичирээк файл же сүрөт жибериңиз.
cp-text-too-long = Текст өтө узун: { $length } белги, { $max } белгиге чейин болот. Кыскартыңызчы.
cp-need-description = Адегенде эмне болгонун текст менен жазыңыз.
cp-unsupported = Мындай билдирүүнү даттанууга кошууга болбойт. Текст, сүрөт, документ же үн билдирүү жибериңиз.
cp-ask-when = Бул качан болду? Мисалы: «кечээ», «12-ноябрь», «сентябрдан бери». Же «Өткөрүп жиберүү» баскычын басыңыз.
cp-ask-reply-via = Жооп үчүн сиз менен кантип байланышабыз?
cp-ask-phone = Телефон номериңизди жазыңыз, мисалы +7 900 123-45-67.
cp-bad-phone = Бул телефон номерине окшобойт. Сандар менен жазыңыз, мисалы +7 900 123-45-67.
cp-ask-name =
    Атыңыз ким? Расмий кайрылууга адатта ат керек; аты жок кайрылууга расмий жооп берилбеши мүмкүн.
    Атыңызды жазыңыз же «Атсыз» баскычын басыңыз.
cp-consent =
    <b>Жеке маалыматтарды иштетүүгө макулдук</b> ({ $version } версиясы)
    Маалыматтарыңызды (аты-жөнү, телефон, сүрөттөмө, файлдар) кайрылууну кароо үчүн Кыргызстандын Акыйкатчысынын (Омбудсменинин) операторлору гана, керек болсо Орусиянын адам укуктары боюнча ыйгарым укуктуу өкүлү алат. Алар журналдарга жазылбайт. /forget буйругу менен өчүрсөңүз болот.
    Макулсузбу?
cp-summary-title = <b>Кайрылууну текшериңиз</b>
cp-summary =
    Жери: { $place }
    Темасы: { $category }
    Эмне болду: { $description }
    Файлдар: { $files }
    Качан: { $when }
    Байланыш: { $contact }
    Аты: { $name }
cp-not-given = —
cp-contact-chat = ушул чатта
cp-urgent-mark = 🚨 шашылыш
cp-submitted =
    ✅ Кайрылуу кабыл алынды. Номери: <b>{ $number }</b>.
    Адатта жооп { $days } күндүн ичинде келет; ар бир өзгөрүү тууралуу ушул жерге жазабыз. Кайрылууларыңыз: /my_complaints.
cp-submitted-urgent = Шашылыш кайрылуу кезметчи операторлорго берилди.
cp-cancelled = Кайрылуу жокко чыгарылды, форманын маалыматтары өчүрүлдү.
cp-expired = Бул форма жабылган. Кайра баштаңыз: /complaint
cp-my-title = <b>Сиздин кайрылууларыңыз</b>
cp-my-empty = Азырынча кайрылууларыңыз жок. Даттануу берүү: /complaint
cp-my-line = № { $number } · { $category } · { $status }
cp-withdrawn = № { $number } кайрылуу кайтарылып алынды.
cp-followup-choice = Сизде № { $number } ачык кайрылуу бар. Бул билдирүүнү ага кошобузбу же ботко суроо бересизби?
cp-followup-which = Билдирүүнү кайсы кайрылууга кошобуз?
cp-followup-added = № { $number } кайрылууга кошулуп, операторлорго жөнөтүлдү.
cp-reply-to-migrant =
    📩 <b>№ { $number } кайрылуу боюнча жооп</b>
    { $text }
cp-ask-to-migrant =
    ❓ <b>№ { $number } кайрылуу боюнча суроо</b>
    { $text }
    Ушул чатка жөнөкөй билдирүү менен жооп бериңиз.
cp-status-to-migrant = № { $number } кайрылуу: абалы — «{ $status }».
cp-status-reason = Себеби: { $reason }
cp-status-received = кабыл алынды
cp-status-registered = катталды
cp-status-review = каралууда
cp-status-referred = органга жөнөтүлдү
cp-status-answered = жооп берилди
cp-status-closed = жабылды
cp-status-rejected = четке кагылды (ыйгарым укуктан тышкары)
cp-status-withdrawn = кайтарылып алынды
cp-country-ru = 🇷🇺 Орусия
cp-country-kg = 🇰🇬 Кыргызстан
cp-country-kz = 🇰🇿 Казакстан
cp-country-other = 🌍 Башка өлкө
cp-category-wages = 💰 Айлык
cp-category-documents = 📄 Документтер, паспорт
cp-category-police = 👮 Полиция, кармоо
cp-category-violence = 🆘 Зордук-зомбулук, кыйноо
cp-category-expulsion = ⛔ Чыгаруу, кирүүгө тыюу
cp-category-health = 🏥 Ден соолук, камсыздандыруу, жаракат
cp-category-children = 🎒 Балдар, мектеп
cp-category-housing = 🏠 Турак жай
cp-category-trafficking = ⛓ Мажбурлап иштетүү, адам сатуу
cp-category-other = ❔ Башка
cp-btn-skip = Өткөрүп жиберүү ⏭
cp-btn-back = ⬅️ Артка
cp-btn-cancel = ✖️ Жокко чыгаруу
cp-btn-done = ✅ Даяр
cp-btn-reply-chat = 💬 Ушул чатта
cp-btn-reply-phone = 📞 Телефон аркылуу
cp-btn-no-name = Атсыз
cp-btn-agree = ✅ Макулмун
cp-btn-send = 📨 Жөнөтүү
cp-btn-edit-place = ✏️ Жери
cp-btn-edit-category = ✏️ Темасы
cp-btn-edit-description = ✏️ Сүрөттөмө
cp-btn-edit-contact = ✏️ Байланыш жана аты
cp-btn-withdraw = № { $number } кайтарып алуу
cp-btn-add-to-case = ➕ № { $number } кайрылууга кошуу
cp-btn-ask-bot = ❓ Бул ботко суроо
## Операторлордун тобу (операторлор үчүн тексттер)
cp-op-card =
    { $urgent }<b>№ { $number } кайрылуу</b> · { $status }
    Темасы: { $category } · Жери: { $place } · Тили: { $locale }
    Берилген: { $created } (UTC), { $age } саат мурун
    Жооптуу: { $assignee }
    Мекеме: { $institution }
    —
    { $description }
    Качан: { $when }
    Байланыш: { $contact } · Аты: { $name }
cp-op-urgent = 🚨 ШАШЫЛЫШ ·{ " " }
cp-op-nobody = эч ким
cp-op-followup = 💬 № { $number } боюнча арыз ээсинин билдирүүсү:
    { $text }
cp-op-taken = № { $number } кайрылууну { $operator } алды.
cp-op-already-taken = Алынып коюлган: { $operator }. Өзүңүзгө алуу үчүн «Алуу» баскычын дагы бир жолу басыңыз.
cp-op-type-reply = № { $number } боюнча арыз ээсине жооп (мекеменин атынан кетет): ушул билдирүүгө жооп бериңиз — дароо кетет, же кийинки билдирүү менен жазыңыз — адегенде эмне кетерин көрсөтөм.
cp-op-type-ask = № { $number } боюнча арыз ээсине суроо: ушул билдирүүгө жооп бериңиз — дароо кетет, же кийинки билдирүү менен жазыңыз — адегенде эмне кетерин көрсөтөм.
cp-op-type-note = № { $number } боюнча ички эскертме жазыңыз (арыз ээси аны көрбөйт).
cp-op-type-reason = № { $number } үчүн «{ $status }» абалынын себебин кийинки билдирүү менен жазыңыз.
cp-op-choose-status = № { $number } үчүн жаңы абал:
cp-op-done = Даяр: № { $number }.
cp-op-note-saved = № { $number } боюнча эскертме сакталды.
cp-op-not-operator = Кайрылуулар менен операторлор гана иштей алат.
cp-op-final = № { $number } кайрылуу жабылган.
cp-op-queue-title = <b>Ачык кайрылуулар</b>
cp-op-queue-empty = Ачык кайрылуулар жок.
cp-op-queue-line = { $urgent }№ { $number } · { $category } · { $status } · { $assignee }
cp-op-btn-take = 🙋 Алуу
cp-op-btn-reply = 💬 Жооп берүү
cp-op-btn-ask = ❓ Маалымат суроо
cp-op-btn-status = 🔄 Абалы
cp-op-btn-note = 📝 Эскертме
cp-op-btn-urgent = 🚨 Шашылыш
cp-admin-group-error = ⚠️ Бот операторлордун чатына жаза албай жатат ({ $error }). Кайрылуулар сакталып турат жана жетүү калыбына келгенде жеткирилет: ботту топко кайра кошуңуз же OPERATORS_CHAT_ID текшериңиз.
cp-admin-group-migrated = ⚠️ Операторлордун тобу { $new_id } id менен супертопко айланды. Билдирүүлөр жаңы топко багытталды; жөндөөлөрдө OPERATORS_CHAT_ID={ $new_id } деп көрсөтүңүз.
cp-op-reannounce = ⏰ № { $number } кайрылууну эч ким алган жок{ $urgent }. Ким алат?
cp-op-reannounce-urgent = { " " }(ШАШЫЛЫШ)
cp-op-stats =
    <b>Кайрылуулардын статистикасы</b>
    Бардыгы: { $total }
    Абалы боюнча: { $statuses }
    Темасы боюнча: { $categories }
    Өлкөсү боюнча: { $countries }
    Биринчи жоопко чейинки медиана: { $first } саат
    Жабылганга чейинки медиана: { $close } саат
cp-op-export-caption = Кайрылуулар, CSV ({ $kind })
cp-op-export-public = жеке маалыматтарсыз
cp-op-export-personal = жеке маалыматтар менен — администраторлор үчүн гана
cp-op-btn-transfer = ↪️ Өткөрүп берүү
cp-op-choose-institution = № { $number } кайрылууну өткөрүп берүү:
cp-op-transferred = № { $number } кайрылуу өткөрүлүп берилди: { $institution }.
cp-institution-kg = Кыргызстандын Акыйкатчысы (Омбудсмени)
cp-institution-ru = Орусиянын адам укуктары боюнча ыйгарым укуктуу өкүлү
cp-op-queue-usage = Чыпкалар: /queue, /queue new, /queue mine, /queue urgent, /queue overdue, /queue review (жана башка абалдар).
cp-op-card-last = Акыркы аракет: { $action } ({ $at } UTC)
cp-op-card-erased = 🗑 Жеке маалыматтар арыз ээсинин өтүнүчү менен өчүрүлдү.
cp-op-last-take = ишке алынды
cp-op-last-status = абалы өзгөрдү
cp-op-last-transfer = өткөрүлүп берилди
cp-op-last-urgent = шашылыш деп белгиленди
cp-op-last-out = жооп жөнөтүлдү
cp-op-last-ask = маалымат суралды
cp-op-last-note = эскертме кошулду
cp-op-last-in = арыз ээсинин билдирүүсү
cp-op-followup-erased = 💬 № { $number } боюнча арыз ээсинин билдирүүсү анын өтүнүчү менен өчүрүлдү.
cp-op-btn-reopen = 🔓 Кайра ачуу
cp-op-reopened = № { $number } кайрылуу кайра ачылды.
cp-op-erased = Арыз ээси өз маалыматтарын өчүрдү (/forget): № { $number } боюнча ага мындан ары жазууга болбойт.
cp-op-btn-send = 📨 Жөнөтүү
cp-op-btn-edit = ✏️ Өзгөртүү
cp-op-btn-cancel = ✖️ Жокко чыгаруу
cp-op-preview =
    <b>№ { $number } { $what }:</b>
    { $text }
    Текстти текшерип, «Жөнөтүү» баскычын басыңыз.
cp-op-preview-reply = кайрылуу боюнча арыз ээсине жооп жөнөтүү
cp-op-preview-ask = кайрылуу боюнча арыз ээсине суроо жөнөтүү
cp-op-preview-note = кайрылууга ички эскертме сактоо
cp-op-preview-reason = кайрылууга «{ $status }» абалын ушул себеп менен коюу (арыз ээси көрөт)
cp-op-sent = Жөнөтүлдү: № { $number }.
cp-op-cancelled = Жокко чыгарылды: № { $number }, эч нерсе жөнөтүлгөн жок.
cp-op-case-usage = Кайрылуунун номерин сандар менен жазыңыз, мисалы: /case 12
cp-op-case-not-found = № { $number } кайрылуу жок.
cp-op-stats-usage = Күндөрдүн санын 1ден { $max } чейин сандар менен жазыңыз, мисалы: /stats 30 — же жөн гана /stats.
cp-forget-left =
    Операторлордун чатынан баары эле өчкөн жок: сиздин маалыматтарыңыз бар { $count } билдирүүнү Telegram өзгөртүүгө же өчүрүүгө уруксат берген жок. Маалыматтар боттун базасынан өчүрүлдү; операторлор аларды кол менен өчүрүшү үчүн кайсы билдирүүлөр калганын жазып койдук.
cp-op-prompt-failed = Чатта көрсөтмөнү көрсөтүү мүмкүн болгон жок. Эч нерсе сакталган жок; баскычты дагы бир жолу басыңыз.
cp-op-btn-institution-kg = 🇰🇬 Кыргызстандын Акыйкатчысы
cp-op-btn-institution-ru = 🇷🇺 Орусиянын адам укуктары боюнча өкүлү
cp-op-delete-by-hand = ⚠️ № { $number } боюнча арыз ээси өз маалыматтарын өчүрдү (/forget), бирок бот бул жооп берилген билдирүүнү өзгөртө да, өчүрө да алган жок. Аны кол менен өчүрүңүз.
