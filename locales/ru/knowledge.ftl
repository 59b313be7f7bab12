## Knowledge base: topics, answers, urgent cards
## kb-offer-language and kb-btn-switch-language are shown in the language they offer.

kb-ask-prompt =
    Напишите вопрос своими словами — по-русски или по-кыргызски, можно с ошибками.
    Например: «как сделать регистрацию», «не платят зарплату», «попал в реестр».
kb-categories-title = 📚 Темы. Выберите раздел:
kb-category-title = { $category }. Выберите тему:
kb-page = Стр. { $page } из { $pages }
kb-steps-title = Что делать сейчас:
kb-caveats-title = ⚠️ Не подтверждено или может измениться:
kb-footer = <i>ℹ️ Это информация, а не юридическая консультация. Сверено с источниками: { $date }; источники — по состоянию на { $as_of }. Чтобы связаться с человеком, нажмите «✍️ Жалоба / вопрос человеку».</i>
kb-urgent-footer = <i>ℹ️ Это информация, а не юридическая консультация. Бот даёт только номера, подтверждённые источниками.</i>
kb-details-title = Подробнее
kb-legal-basis-title = Правовая основа:
kb-sources-title = Источники (по состоянию на { $as_of }):
kb-no-details = Подробностей нет — всё главное уже в ответе выше.
kb-related-title = Связанные темы:
kb-alternatives = Возможно, вы спрашивали о другом — выберите:
kb-not-found = Я не нашёл ответа на этот вопрос в базе знаний. Попробуйте сказать иначе, выберите тему в списке или задайте вопрос человеку.
kb-small-talk = Здравствуйте! Напишите свой вопрос о правах, документах или работе — я постараюсь помочь.
kb-offer-language = Вы пишете по-русски. Переключить бота на русский язык?
kb-reloaded =
    { $topics ->
        [one] База знаний перезагружена: { $topics } тема.
        [few] База знаний перезагружена: { $topics } темы.
        [many] База знаний перезагружена: { $topics } тем.
       *[other] База знаний перезагружена: { $topics } темы.
    }
kb-reload-failed = Перезагрузка не удалась, бот продолжает работать со старой базой. Проблемы:
    { $problems }

kb-btn-details = 📖 Подробнее
kb-btn-sources = 🔗 Источники
kb-btn-related = 🧭 Связанные темы
kb-btn-ask-person = ✍️ Жалоба / вопрос человеку
kb-btn-urgent-complaint = 🚨 Срочное обращение к омбудсмену
kb-btn-topic = 📖 Подробно о ваших правах
kb-btn-topics = 📚 Все темы
kb-btn-prev = ◀️
kb-btn-next = ▶️
kb-btn-back-topic = ⬅️ К ответу
kb-btn-switch-language = 🇷🇺 Перейти на русский

## Content freshness, emergency numbers, source labels (render.py)
kb-review-due = ⚠️ Тема ждёт перепроверки: { $reasons }. Сведения могли устареть — уточните в официальных источниках.
kb-review-old-sources = источники старше двух лет
kb-review-dated-fact = срок, о котором говорится в теме ({ $date }), уже наступил
kb-emergency-title = 📞 Экстренные номера — { $country }:
kb-emergency-sources = Источники номеров:
kb-emergency-both = Мы не знаем, в какой вы стране (город не выбран в настройках), поэтому показываем номера обеих стран.
kb-source-secondary = вторичный источник
