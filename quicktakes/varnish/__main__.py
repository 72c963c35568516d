from quicktakes.varnish import main

main()
