from django.shortcuts import render


def example_list(request):
    return render(request, "guidance/catalogue/list.html")
