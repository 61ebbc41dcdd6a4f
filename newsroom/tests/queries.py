"""Query budgets for pages whose cost must not grow with the rows they show."""


def assert_queries_do_not_grow(django_assert_max_num_queries, *, show, grow, budget):
    """`show()` keeps within `budget` queries, and after `grow()` adds rows it makes no
    more queries than it did before.

    `show` runs once first, unmeasured, to warm per-process caches (content types,
    the site), which would otherwise count against the small case only.
    """
    show()
    with django_assert_max_num_queries(budget) as few:
        show()
    grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        show()
