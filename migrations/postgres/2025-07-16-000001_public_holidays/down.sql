DROP TABLE public_holidays;
