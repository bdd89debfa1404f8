-- Reviews rate a model effective, partly effective or ineffective (issue #27): the
-- middle rating, once `average`, is `partly_effective`.
UPDATE model_reviews SET rating = 'partly_effective' WHERE rating = 'average';
