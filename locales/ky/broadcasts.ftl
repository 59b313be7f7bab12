## Таратуулар: кызматкерлер билдирүү түзөт; жазылуучулар аны өз тилинде алат

bc-footer = <i>Бул билдирүүнү кабарларга жазылгандыктан алдыңыз. Жазылуудан чыгуу — төмөнкү баскыч же /settings.</i>
bc-btn-unsubscribe = 🔕 Жазылуудан чыгуу
bc-unsubscribed = Кабарлардан жазылууну токтоттуңуз. Кайра күйгүзүү: /settings
bc-ask-ky = <b>Жаңы таратуу.</b> Кыргызча текстти жибериңиз ({ $max } белгиге чейин).
bc-ask-ru = Эми орусча текст — же «Баарына бир эле текст» баскычын басыңыз.
bc-ask-media = Сүрөт же документ тиркеңиз — же «Тиркемесиз» баскычын басыңыз.
bc-ask-audience = Кимге жөнөтөбүз?
bc-ask-city = Шаарды тандаңыз:
bc-ask-time = Качан жөнөтөбүз? Бишкек убактысы менен КК.АА.ЖЖЖЖ СС:ММ түрүндө жазыңыз.
bc-bad-time = Убакытты окуй албадым же ал өтүп кеткен. Мисалы: 25.11.2026 18:30
bc-too-long = Текст өтө узун: { $length } белги, { $max } белгиге чейин болот.
bc-need-text = Билдирүүнүн текстин жибериңиз.
bc-preview-title = Алуучулар таратууну мындай көрүшөт ({ $locale }):
bc-preview-summary =
    <b>Таратууну текшериңиз</b>
    Аудитория: { $audience }
    Алуучулар: { $count }
bc-audience-all = бардык жазылуучулар
bc-audience-ky = кыргыз тилдүүлөр
bc-audience-ru = орус тилдүүлөр
bc-audience-city = шаар: { $city }
bc-no-recipients = Бул аудиторияда бир да жазылуучу жок. Башкасын тандаңыз.
bc-progress =
    📣 № { $id } таратуу — { $status }
    { $bar } { $percent }%
    Жөнөтүлдү: { $sent } · каталар: { $failed } · ботту бөгөттөгөндөр: { $blocked } · калды: { $remaining }
bc-status-scheduled = { $at } убактысына пландалды
bc-status-running = жүрүп жатат
bc-status-paused = тыныгууда
bc-status-cancelled = жокко чыгарылды
bc-status-done = бүттү
bc-list-title = <b>Таратуулар</b>
bc-list-empty = Азырынча таратуулар болгон жок.
bc-list-line = № { $id } · { $status } · { $sent }/{ $total } · { $audience }
bc-cancelled-draft = Таратуу жокко чыгарылды, эч нерсе жөнөтүлгөн жок.
bc-btn-same = Баарына бир эле текст
bc-btn-no-media = Тиркемесиз
bc-btn-all = Бардык жазылуучулар
bc-btn-ky = Кыргыз тилдүүлөр
bc-btn-ru = Орус тилдүүлөр
bc-btn-city = Шаар боюнча
bc-btn-send = 📣 Азыр жөнөтүү
bc-btn-schedule = 🕒 Пландоо
bc-btn-cancel = ✖️ Жокко чыгаруу
bc-btn-pause = ⏸ Тыныгуу
bc-btn-resume = ▶️ Улантуу
bc-btn-stop = ⏹ Токтотуу
bc-audience-event = «{ $event }» иш-чарасына катталгандар
bc-btn-event = Иш-чаранын катышуучулары
bc-ask-event = Кайсы иш-чаранын катышуучуларына жөнөтөбүз?

## Optional button, audience by event kind, notice drafted from an event
bc-ask-button = Кабардын астына баскыч кошосузбу? Иш-чаранын картасы же https-шилтеме.
bc-btn-add-event = 📅 Иш-чаранын картасы
bc-btn-add-link = 🔗 Шилтеме
bc-btn-no-button = Баскычсыз
bc-ask-button-event = Кайсы иш-чаранын картасын ачсын?
bc-ask-link = https:// менен башталган шилтемени жөнөтүңүз.
bc-bad-link = Шилтеме https:// менен башталып, боштуксуз жана { $max } белгиден ашпашы керек. Кайра жөнөтүңүз.
bc-btn-event-card = 📅 Толугураак жана каттоо
bc-btn-open-link = 🔗 Ачуу
bc-btn-kind = 🗂 Иш-чаранын түрү боюнча
bc-ask-kind = Кайсы түрдөгү иш-чараларга жазылгандарга жиберебиз?
bc-audience-kind = «{ $kind }» кабарларына жазылгандар
bc-prefilled = Кабардын тексти иш-чаранын маалыматынан эки тилде даярдалды; алдын ала көрүүдө текшерип, керек болсо жокко чыгарыңыз. Эми кимге жиберүүнү тандаңыз.
bc-event-template =
    📅 { $kind }: «{ $title }»
    🕒 { $when }
    { $place }

    Толук маалымат жана каттоо — төмөнкү баскыч аркылуу.
bc-progress-rate = Ылдамдыгы: секундасына { $rate } билдирүү
bc-progress-eta = болжол менен { $minutes } мүн { $seconds } сек калды
bc-final-report = ✅ № { $id } таратуу ({ $audience }) { $minutes } мүнөттө аяктады: жеткирилди { $sent }, каталар { $failed }, ботту бөгөттөгөндөр { $blocked }.

form-name-broadcast = Таратуу
