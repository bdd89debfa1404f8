UPDATE model_reviews SET rating = 'average' WHERE rating = 'partly_effective';
