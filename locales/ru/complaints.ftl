## Complaints: intake, the migrant's cases, operators' queue

cp-intro =
    <b>Жалоба омбудсмену</b>
    Ответьте на несколько вопросов. Ваше обращение получит номер; ответ придёт сюда, в этот чат, от имени учреждения.
    Бот даёт информацию, а не юридическую консультацию. На любом шаге можно вернуться назад или отменить.
cp-urgent-intro = 🚨 <b>Срочное обращение.</b> Только самое важное — операторы увидят его первым.
cp-ask-country = Где это произошло?
cp-ask-city = В каком городе? Напишите название или нажмите «Пропустить».
cp-ask-category = Что случилось? Выберите тему:
cp-ask-description =
    Опишите, что произошло: кто, что сделал, где. До { $max } символов.
    Можно приложить фото, документы или голосовые сообщения (до { $files } файлов). Когда закончите — нажмите «Готово».
cp-description-saved = Записано. Добавьте файлы или нажмите «Готово».
cp-file-saved = Файл добавлен ({ $count } из { $max }).
cp-too-many-files = Можно приложить не больше { $max } файлов. Этот файл не добавлен.
cp-file-too-big = Файл слишком большой (больше 20 МБ). Отправьте файл поменьше или фото.
cp-text-too-long = Текст слишком длинный: { $length } символов, можно до { $max }. Сократите, пожалуйста.
cp-need-description = Сначала опишите, что произошло, текстом.
cp-unsupported = Такие сообщения в жалобу добавить нельзя. Пришлите текст, фото, документ или голосовое сообщение.
cp-ask-when = Когда это произошло? Например: «вчера», «12 ноября», «с сентября». Или нажмите «Пропустить».
cp-ask-reply-via = Как с вами связаться для ответа?
cp-ask-phone = Напишите номер телефона, например +7 900 123-45-67.
cp-bad-phone = Не похоже на номер телефона. Напишите цифрами, например +7 900 123-45-67.
cp-ask-name =
    Как вас зовут? Для официального обращения обычно нужно имя; на анонимное обращение официального ответа может не быть.
    Напишите имя или нажмите «Без имени».
cp-consent =
    <b>Согласие на обработку персональных данных</b> (версия { $version })
    Ваши данные (имя, телефон, описание, файлы) получат только операторы Акыйкатчы (Омбудсмена) Кыргызстана и, если нужно, Уполномоченного по правам человека в РФ — для рассмотрения обращения. В журналы они не попадают. Удалить их можно командой /forget.
    Вы согласны?
cp-summary-title = <b>Проверьте обращение</b>
cp-summary =
    Место: { $place }
    Тема: { $category }
    Что случилось: { $description }
    Файлы: { $files }
    Когда: { $when }
    Связь: { $contact }
    Имя: { $name }
cp-not-given = —
cp-contact-chat = в этом чате
cp-urgent-mark = 🚨 срочно
cp-submitted =
    ✅ Обращение принято. Номер: <b>{ $number }</b>.
    Обычно ответ приходит в течение { $days ->
        [one] { $days } дня
        [few] { $days } дней
        [many] { $days } дней
       *[other] { $days } дня
    }; о каждом изменении мы напишем сюда. Свои обращения смотрите в /my_complaints.
cp-submitted-urgent = Срочное обращение передано дежурным операторам.
cp-cancelled = Обращение отменено, данные формы удалены.
cp-expired = Эта форма уже закрыта. Начните заново: /complaint
cp-my-title = <b>Ваши обращения</b>
cp-my-empty = У вас пока нет обращений. Подать жалобу: /complaint
cp-my-line = № { $number } · { $category } · { $status }
cp-withdrawn = Обращение № { $number } отозвано.
cp-followup-choice = У вас есть открытое обращение № { $number }. Добавить это сообщение к нему или задать вопрос боту?
cp-followup-which = К какому обращению добавить сообщение?
cp-followup-added = Добавлено к обращению № { $number } и передано операторам.
cp-reply-to-migrant =
    📩 <b>Ответ по обращению № { $number }</b>
    { $text }
cp-ask-to-migrant =
    ❓ <b>Вопрос по обращению № { $number }</b>
    { $text }
    Ответьте обычным сообщением в этот чат.
cp-status-to-migrant = Обращение № { $number }: статус — «{ $status }».
cp-status-reason = Причина: { $reason }
cp-status-received = получено
cp-status-registered = зарегистрировано
cp-status-review = на рассмотрении
cp-status-referred = направлено в орган
cp-status-answered = дан ответ
cp-status-closed = закрыто
cp-status-rejected = отклонено (вне компетенции)
cp-status-withdrawn = отозвано
cp-country-ru = 🇷🇺 Россия
cp-country-kg = 🇰🇬 Кыргызстан
cp-country-kz = 🇰🇿 Казахстан
cp-country-other = 🌍 Другая страна
cp-category-wages = 💰 Зарплата
cp-category-documents = 📄 Документы, паспорт
cp-category-police = 👮 Полиция, задержание
cp-category-violence = 🆘 Насилие, пытки
cp-category-expulsion = ⛔ Выдворение, запрет въезда
cp-category-health = 🏥 Здоровье, страховка, травма
cp-category-children = 🎒 Дети, школа
cp-category-housing = 🏠 Жильё
cp-category-trafficking = ⛓ Принудительный труд, торговля людьми
cp-category-other = ❔ Другое
cp-btn-skip = Пропустить ⏭
cp-btn-back = ⬅️ Назад
cp-btn-cancel = ✖️ Отменить
cp-btn-done = ✅ Готово
cp-btn-reply-chat = 💬 В этом чате
cp-btn-reply-phone = 📞 По телефону
cp-btn-no-name = Без имени
cp-btn-agree = ✅ Согласен(на)
cp-btn-send = 📨 Отправить
cp-btn-edit-place = ✏️ Место
cp-btn-edit-category = ✏️ Тема
cp-btn-edit-description = ✏️ Описание
cp-btn-edit-contact = ✏️ Связь и имя
cp-btn-withdraw = Отозвать № { $number }
cp-btn-add-to-case = ➕ Добавить к № { $number }
cp-btn-ask-bot = ❓ Это вопрос боту
## Operators' group (texts for operators)
cp-op-card =
    { $urgent }<b>Обращение № { $number }</b> · { $status }
    Тема: { $category } · Место: { $place } · Язык: { $locale }
    Подано: { $created } (UTC), { $age } ч назад
    Ответственный: { $assignee }
    Учреждение: { $institution }
    —
    { $description }
    Когда: { $when }
    Связь: { $contact } · Имя: { $name }
cp-op-urgent = 🚨 СРОЧНО ·{ " " }
cp-op-nobody = никто
cp-op-followup = 💬 Сообщение заявителя по № { $number }:
    { $text }
cp-op-taken = Обращение № { $number } взял(а) { $operator }.
cp-op-already-taken = Уже взято: { $operator }. Нажмите «Взять» ещё раз, чтобы забрать себе.
cp-op-type-reply = Ответ заявителю по № { $number } (уйдёт от имени учреждения): ответьте на это сообщение — он уйдёт сразу, или напишите следующим сообщением — сначала покажу, что уйдёт.
cp-op-type-ask = Вопрос заявителю по № { $number }: ответьте на это сообщение — он уйдёт сразу, или напишите следующим сообщением — сначала покажу, что уйдёт.
cp-op-type-note = Напишите внутреннюю заметку по № { $number } (заявитель её не увидит).
cp-op-type-reason = Укажите причину для статуса «{ $status }» по № { $number } следующим сообщением.
cp-op-choose-status = Новый статус для № { $number }:
cp-op-done = Готово: № { $number }.
cp-op-note-saved = Заметка по № { $number } сохранена.
cp-op-not-operator = Действовать по обращениям могут только операторы.
cp-op-final = Обращение № { $number } уже закрыто.
cp-op-queue-title = <b>Открытые обращения</b>
cp-op-queue-empty = Открытых обращений нет.
cp-op-queue-line = { $urgent }№ { $number } · { $category } · { $status } · { $assignee }
cp-op-btn-take = 🙋 Взять
cp-op-btn-reply = 💬 Ответить
cp-op-btn-ask = ❓ Запросить информацию
cp-op-btn-status = 🔄 Статус
cp-op-btn-note = 📝 Заметка
cp-op-btn-urgent = 🚨 Срочно
cp-admin-group-error = ⚠️ Бот не может писать в чат операторов ({ $error }). Обращения сохраняются и будут доставлены, когда доступ восстановят: верните бота в группу или проверьте OPERATORS_CHAT_ID.
cp-admin-group-migrated = ⚠️ Группа операторов стала супергруппой с id { $new_id }. Сообщения перенаправлены; укажите OPERATORS_CHAT_ID={ $new_id } в настройках.
cp-op-reannounce = ⏰ Обращение № { $number } никто не взял{ $urgent }. Кто возьмёт?
cp-op-reannounce-urgent = { " " }(СРОЧНОЕ)
cp-op-stats =
    <b>Статистика обращений</b>
    Всего: { $total }
    По статусам: { $statuses }
    По темам: { $categories }
    По странам: { $countries }
    Медиана до первого ответа: { $first } ч
    Медиана до закрытия: { $close } ч
cp-op-export-caption = Обращения, CSV ({ $kind })
cp-op-export-public = без персональных данных
cp-op-export-personal = с персональными данными — только для администраторов
cp-op-btn-transfer = ↪️ Передать
cp-op-choose-institution = Передать обращение № { $number }:
cp-op-transferred = Обращение № { $number } передано: { $institution }.
cp-institution-kg = Акыйкатчы (Омбудсмен) Кыргызстана
cp-institution-ru = Уполномоченный по правам человека в РФ
cp-op-queue-usage = Фильтры: /queue, /queue new, /queue mine, /queue urgent, /queue overdue, /queue review (и другие статусы).
cp-op-card-last = Последнее действие: { $action } ({ $at } UTC)
cp-op-card-erased = 🗑 Личные данные удалены по просьбе заявителя.
cp-op-last-take = взято в работу
cp-op-last-status = изменён статус
cp-op-last-transfer = передано
cp-op-last-urgent = отмечено срочным
cp-op-last-out = отправлен ответ
cp-op-last-ask = запрошена информация
cp-op-last-note = добавлена заметка
cp-op-last-in = сообщение заявителя
cp-op-followup-erased = 💬 Сообщение заявителя по № { $number } удалено по его просьбе.
cp-op-btn-reopen = 🔓 Открыть снова
cp-op-reopened = Обращение № { $number } снова открыто.
cp-op-erased = Заявитель удалил свои данные (/forget): по № { $number } написать ему больше нельзя.
cp-op-btn-send = 📨 Отправить
cp-op-btn-edit = ✏️ Изменить
cp-op-btn-cancel = ✖️ Отмена
cp-op-preview =
    <b>{ $what } № { $number }:</b>
    { $text }
    Проверьте текст и нажмите «Отправить».
cp-op-preview-reply = Отправить заявителю ответ по обращению
cp-op-preview-ask = Отправить заявителю вопрос по обращению
cp-op-preview-note = Сохранить внутреннюю заметку к обращению
cp-op-preview-reason = Установить статус «{ $status }» с этой причиной (её увидит заявитель) для обращения
cp-op-sent = Отправлено: № { $number }.
cp-op-cancelled = Отменено: № { $number }, ничего не отправлено.
cp-op-case-usage = Напишите номер обращения цифрами, например: /case 12
cp-op-case-not-found = Обращения № { $number } нет.
cp-op-stats-usage = Напишите число дней цифрами от 1 до { $max }, например: /stats 30 — или просто /stats.
cp-forget-left =
    Не всё удалось убрать из чата операторов: { $count ->
        [one] { $count } сообщение
        [few] { $count } сообщения
        [many] { $count } сообщений
       *[other] { $count } сообщения
    } с вашими данными Telegram не дал изменить или удалить. Данные удалены из базы бота; мы записали, какие сообщения остались, чтобы операторы удалили их вручную.
cp-op-prompt-failed = Не удалось показать подсказку в чате. Ничего не сохранено; нажмите кнопку ещё раз.
cp-op-btn-institution-kg = 🇰🇬 Акыйкатчы (Омбудсмен) Кыргызстана
cp-op-btn-institution-ru = 🇷🇺 Уполномоченный по правам человека РФ
cp-op-delete-by-hand = ⚠️ Заявитель по № { $number } удалил свои данные (/forget), а бот не смог изменить или удалить сообщение, на которое это ответ. Удалите его вручную, пожалуйста.
