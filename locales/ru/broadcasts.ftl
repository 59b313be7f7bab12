## Broadcasts: staff compose notices; subscribers receive them in their language

bc-footer = <i>Вы получили это сообщение, потому что подписаны на уведомления. Отписаться — кнопка ниже или /settings.</i>
bc-btn-unsubscribe = 🔕 Отписаться
bc-unsubscribed = Вы отписались от уведомлений. Включить снова: /settings
bc-ask-ky = <b>Новая рассылка.</b> Пришлите текст на кыргызском языке (до { $max } символов).
bc-ask-ru = Теперь текст на русском языке — или нажмите «Тот же текст для всех».
bc-ask-media = Приложите фото или документ — или нажмите «Без вложения».
bc-ask-audience = Кому отправить?
bc-ask-city = Выберите город:
bc-ask-time = Когда отправить? Напишите дату и время по Бишкеку в виде ДД.ММ.ГГГГ ЧЧ:ММ.
bc-bad-time = Не получилось прочитать время или оно уже прошло. Пример: 25.11.2026 18:30
bc-too-long = Текст слишком длинный: { $length } символов, можно до { $max }.
bc-need-text = Пришлите текст сообщения.
bc-preview-title = Так увидят рассылку получатели ({ $locale }):
bc-preview-summary =
    <b>Проверьте рассылку</b>
    Аудитория: { $audience }
    Получателей: { $count }
bc-audience-all = все подписчики
bc-audience-ky = кыргызоязычные
bc-audience-ru = русскоязычные
bc-audience-city = город: { $city }
bc-no-recipients = В этой аудитории нет ни одного подписчика. Выберите другую.
bc-progress =
    📣 Рассылка № { $id } — { $status }
    { $bar } { $percent }%
    Отправлено: { $sent } · ошибки: { $failed } · заблокировали бота: { $blocked } · осталось: { $remaining }
bc-status-scheduled = запланирована на { $at }
bc-status-running = идёт
bc-status-paused = на паузе
bc-status-cancelled = отменена
bc-status-done = завершена
bc-list-title = <b>Рассылки</b>
bc-list-empty = Рассылок пока не было.
bc-list-line = № { $id } · { $status } · { $sent }/{ $total } · { $audience }
bc-cancelled-draft = Рассылка отменена, ничего не отправлено.
bc-btn-same = Тот же текст для всех
bc-btn-no-media = Без вложения
bc-btn-all = Все подписчики
bc-btn-ky = Кыргызоязычные
bc-btn-ru = Русскоязычные
bc-btn-city = По городу
bc-btn-send = 📣 Отправить сейчас
bc-btn-schedule = 🕒 Запланировать
bc-btn-cancel = ✖️ Отменить
bc-btn-pause = ⏸ Пауза
bc-btn-resume = ▶️ Продолжить
bc-btn-stop = ⏹ Остановить
bc-audience-event = зарегистрированные на «{ $event }»
bc-btn-event = Участники мероприятия
bc-ask-event = Чьим участникам отправить?

## Optional button, audience by event kind, notice drafted from an event
bc-ask-button = Добавить кнопку под сообщением? Карточка мероприятия или https-ссылка.
bc-btn-add-event = 📅 Карточка мероприятия
bc-btn-add-link = 🔗 Ссылка
bc-btn-no-button = Без кнопки
bc-ask-button-event = Карточку какого мероприятия открывать?
bc-ask-link = Пришлите ссылку, начинающуюся с https://.
bc-bad-link = Ссылка должна начинаться с https://, быть без пробелов и не длиннее { $max } символов. Пришлите ещё раз.
bc-btn-event-card = 📅 Подробнее и регистрация
bc-btn-open-link = 🔗 Открыть
bc-btn-kind = 🗂 По виду мероприятий
bc-ask-kind = Подписчикам какого вида мероприятий отправить?
bc-audience-kind = подписчики уведомлений «{ $kind }»
bc-prefilled = Текст сообщения подготовлен из данных мероприятия на двух языках; проверьте его в предпросмотре и при необходимости отмените. Теперь выберите получателей.
bc-event-template =
    📅 { $kind }: «{ $title }»
    🕒 { $when }
    { $place }

    Подробности и регистрация — по кнопке ниже.
bc-progress-rate = Скорость: { $rate } сообщ./с
bc-progress-eta = осталось ≈ { $minutes } мин { $seconds } с
bc-final-report = ✅ Рассылка № { $id } ({ $audience }) завершена за { $minutes } мин: доставлено { $sent }, ошибки { $failed }, заблокировали бота { $blocked }.

form-name-broadcast = Рассылка
