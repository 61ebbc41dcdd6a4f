"""The cache the rate limits count in when there is no Redis (settings.CACHES)."""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class CountingDatabaseCache(DatabaseCache):
    """Django's database cache, with an incr() that counts right from many processes at once.

    Django's own incr() reads the number and stores the sum as a new entry.
    Two gunicorn workers counting the same reader at once both store the same
    sum (33 of 150 searches passed a limit of 30), and the entry starts over
    with the default five-minute timeout, which stretches a minute's window
    and cuts an hour's short. Here the row is held from the read to the write
    (SELECT … FOR UPDATE; SQLite's IMMEDIATE transactions hold the whole
    database from their start) and keeps its expiry.
    """

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, key_column, value_column = map(quote, (self._table, "cache_key", "value"))
        held = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column} FROM {table} "
                f"WHERE {key_column} = %s AND {quote('expires')} > %s{held}",
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",
                [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), key],
            )
        return value
